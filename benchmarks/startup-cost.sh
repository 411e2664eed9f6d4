#!/usr/bin/env bash
# Start-up cost of the starter: the sample application's class path (WebFlux, actuator, the
# starter) started N times with the starter on and N times with it off (spectator.enabled=false),
# alternating, each in a fresh JVM; prints the medians of Boot's "Started ... in X seconds" and the
# cost: the median of the N paired differences (each start with the starter minus the start without
# it that follows), which follows this machine's drifts better than a difference of medians, with
# the middle half of those differences.
# Usage: benchmarks/startup-cost.sh [N] [--property=value ...]   (from the repository root; builds
# what it needs; the properties go to the starts with the starter, e.g. --spectator.jvm.enabled=false)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-9}"
shift || true

cp=$(benchmarks/startup-classpath.sh)

run() {
  java -XX:TieredStopAtLevel=1 -cp "$cp" io.github.spectatorboot.startup.BareApplication \
    --server.port=0 --spectator.uri=http://127.0.0.1:9/api/v1/publish --spectator.shutdown-timeout=1s "$@" 2>&1 \
    | sed -n 's/.*Started BareApplication in \([0-9.]*\) seconds.*/\1/p'
}

on=(); off=()
for i in $(seq "$n"); do
  on+=("$(run --spectator.enabled=true "$@")")
  off+=("$(run --spectator.enabled=false)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_on=$(median "${on[@]}"); m_off=$(median "${off[@]}")
echo "starter on : ${on[*]} -> median ${m_on} s"
echo "starter off: ${off[*]} -> median ${m_off} s"
for i in "${!on[@]}"; do echo "${on[$i]} ${off[$i]}"; done \
  | awk '{print ($1 - $2) * 1000}' | sort -n \
  | awk '{d[NR] = $1} END {
      printf "cost of the starter: %.0f ms (median of %d paired differences; middle half %.0f to %.0f ms)\n",
        d[int((NR + 1) / 2)], NR, d[int(NR / 4) + 1], d[int(3 * NR / 4)]}'
