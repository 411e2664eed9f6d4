#!/usr/bin/env bash
# Writes the list of classes SpectatorBackgroundPreinitializer loads on Boot's background-preinit
# thread: the classes the JVM loads during the starter's bean steps (each step's own time, as
# startup-steps.sh attributes them) in N starts of the sample application's class path, without
# the JDK's and hidden classes, with the preinitializer off so that it does not hide them.
# Usage: benchmarks/preinitialized-classes.sh [N]   (from the repository root; run it again when the
# starter's beans change: a stale list costs start-up time, never correctness)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-3}"
list=spectator-spring-boot-autoconfigure/src/main/resources/META-INF/spectator/preinitialized-classes

cp=$(benchmarks/startup-classpath.sh)
out=benchmarks/target/preinitialized-classes
rm -rf "$out" && mkdir -p "$out/classes"
javac -d "$out/classes" -cp "$cp" benchmarks/startup-steps/StartupSteps.java

run() { # jvm-options app-option
  java -XX:TieredStopAtLevel=1 -Dspring.backgroundpreinitializer.ignore=true $1 -cp "$out/classes:$cp" \
    io.github.spectatorboot.startup.StartupSteps "$out/off-beans.txt" /dev/null --server.port=0 \
    --spectator.uri=http://127.0.0.1:9/api/v1/publish --spectator.shutdown-timeout=1s "$2" > /dev/null 2>&1
}

run "" --spectator.enabled=false # the beans of the application without the starter
for i in $(seq "$n"); do
  run "-Xlog:class+load:file=$out/load-$i.log:uptimenanos -Dstartup.classlog=$out/load-$i.log -Dstartup.classes=$out/classes-$i.txt" \
    --spectator.enabled=true
done
{
  echo "# Classes SpectatorBackgroundPreinitializer loads and links ahead of the starter's beans."
  echo "# Written by benchmarks/preinitialized-classes.sh; one binary class name per line."
  cat "$out"/classes-*.txt | awk '{print $2}' \
    | grep -Ev '^(java|javax|jdk|sun|com\.sun)\.|/|\$\$Lambda|\$Proxy|LambdaForm|GeneratedConstructorAccessor|GeneratedMethodAccessor' \
    | sort -u
} > "$list"
echo "$(grep -vc '^#' "$list") classes written to $list"
