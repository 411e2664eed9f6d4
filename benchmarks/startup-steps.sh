#!/usr/bin/env bash
# Start-up cost of the starter, attributed by Spring itself: the sample application's class path
# (WebFlux, actuator, the starter) started N times with the starter and N times without it
# (spectator.enabled=false), alternating, each in a fresh JVM with Boot's BufferingApplicationStartup.
# For each start with the starter, the bean steps (spring.beans.instantiate, spring.beans.smart-
# initialize) of the starter's beans and of the beans only they asked for are summed, each for its
# own time (nested steps excluded): a figure that does not depend on how much one start's wall
# clock differs from the next. Printed next to the wall-clock pairs, with the beans that cost most.
# Usage: benchmarks/startup-steps.sh [N] [--property=value ...]   (from the repository root; builds
# what it needs; the properties go to the starts with the starter, e.g. --spectator.jvm.enabled=false;
# JVM options of every start in STARTUP_JAVA_OPTS, e.g. -Dspring.backgroundpreinitializer.ignore=true)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-5}"
shift || true

cp=$(benchmarks/startup-classpath.sh)
out=benchmarks/target/startup-steps
rm -rf "$out" && mkdir -p "$out/classes"
javac -d "$out/classes" -cp "$cp" benchmarks/startup-steps/StartupSteps.java

run() { # details-file args...
  local details="$1"; shift
  java -XX:TieredStopAtLevel=1 ${STARTUP_JAVA_OPTS:-} -cp "$out/classes:$cp" io.github.spectatorboot.startup.StartupSteps \
    "$out/off-beans.txt" "$details" --server.port=0 --spectator.uri=http://127.0.0.1:9/api/v1/publish \
    --spectator.shutdown-timeout=1s "$@" 2>&1 | sed -n 's/^STARTUP-STEPS //p'
}

run /dev/null --spectator.enabled=false > /dev/null # the beans of the application without the starter
: > "$out/pairs.txt"
for i in $(seq "$n"); do
  on=$(run "$out/details-$i.txt" --spectator.enabled=true "$@")
  off=$(run /dev/null --spectator.enabled=false)
  echo "$on $off" >> "$out/pairs.txt"
done

# pairs.txt: wallOn attributedOn parseOn attributedCpuOn wallOff attributedOff parseOff attributedCpuOff
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
summary() { # column
  echo "median $(awk -v c="$1" '{print $c}' "$out/pairs.txt" | median) ms, $(awk -v c="$1" '{s += $c} END {
    printf "mean %.1f ms, sum over %d starts %.1f ms", s / NR, NR, s}' "$out/pairs.txt")"
}
echo "wall clock from run() to started, ms (with/without the starter): $(awk '{printf "%s/%s ", $1, $5}' "$out/pairs.txt")"
echo "  median of the paired differences: $(awk '{print $1 - $5}' "$out/pairs.txt" | median) ms"
echo "spring.context.config-classes.parse: median of the paired differences $(awk '{print $3 - $7}' "$out/pairs.txt" | median) ms"
echo "attributed to the starter, wall-clock ms per start: $(awk '{printf "%s ", $2}' "$out/pairs.txt")"
echo "  $(summary 2)"
echo "attributed to the starter, CPU ms per start: $(awk '{printf "%s ", $4}' "$out/pairs.txt")"
echo "  $(summary 4)"
pre=$(for i in 1 2 3; do java -XX:TieredStopAtLevel=1 -cp "$out/classes:$cp" io.github.spectatorboot.startup.StartupSteps \
  --preinitializer-cost | sed -n 's/^PREINITIALIZER-CPU //p'; done | median)
echo "SpectatorBackgroundPreinitializer on Boot's background-preinit thread (another core), alone in a fresh JVM: $pre ms CPU (median of 3; an upper bound)"
echo "largest attributed steps, mean ms per start (wall-clock, CPU):"
cat "$out"/details-*.txt | awk -v n="$n" '{w = $1; c = $2; $1 = ""; $2 = ""; tw[$0] += w; tc[$0] += c} END {
  for (k in tw) printf "%8.2f %8.2f %s\n", tw[k] / n, tc[k] / n, k}' | sort -rn | head -n 15
