#!/usr/bin/env bash
# Builds what the start-up benchmarks start (the sample application's class path: WebFlux,
# actuator, the starter, and BareApplication from its test classes) and prints that class path.
# Used by startup-cost.sh and startup-steps.sh, from the repository root.
set -euo pipefail
./mvnw -B -q -pl sample-app -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/startup-classpath.txt -Dmdep.includeScope=runtime >&2
echo "sample-app/target/classes:sample-app/target/test-classes:$(cat sample-app/target/startup-classpath.txt)"
