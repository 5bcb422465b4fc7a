#!/usr/bin/env bash
# Runs the conformance suite against the in-process reference stack several times while
# CPU-burning processes compete for the machine, and fails if any scenario fails in any run.
# A verdict must not depend on how fast the machine is.
#
#   scripts/suite-under-load.sh [RUNS] [BURNERS]      (defaults: 3 runs, 2 burners)
#
# The suite is built once (cargo test --no-run), then its binary is run directly so that cargo
# itself takes no time from the runs. Each run's reports go to target/conformance-load/run-N/.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
burners=${2:-2}

suite=$(cargo test --test conformance --no-run 2>&1 |
  sed -n 's/.*Executable .*(\(.*conformance-[0-9a-f]*\)).*/\1/p' | tail -n 1)
if [ -z "$suite" ] || [ ! -x "$suite" ]; then
  echo "suite-under-load: cannot find the built conformance binary" >&2
  exit 2
fi

pids=()
stop_burners() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap stop_burners EXIT
for _ in $(seq 1 "$burners"); do
  bash -c 'while :; do :; done' &
  pids+=($!)
done
echo "suite-under-load: $burners CPU burners running (pids ${pids[*]}), $runs runs of $suite"

failed=0
for run in $(seq 1 "$runs"); do
  out=target/conformance-load/run-$run
  mkdir -p "$out"
  start=$(date +%s%N)
  if CONFORMANCE_REPORT_DIR=$out "$suite" >"$out/output.txt" 2>&1; then
    status=passed
  else
    status=FAILED
    failed=$((failed + 1))
  fi
  end=$(date +%s%N)
  summary=$(grep -E '^[0-9]+ scenarios' "$out/output.txt" | tail -n 1 || true)
  ms=$(((end - start) / 1000000))
  printf 'run %d: %s in %d.%01d s: %s\n' "$run" "$status" $((ms / 1000)) $((ms % 1000 / 100)) "$summary"
  if [ "$status" = FAILED ]; then
    grep -E '✘|leak check|clean-up' "$out/output.txt" | head -n 40 || true
  fi
done

if [ "$failed" -gt 0 ]; then
  echo "suite-under-load: $failed of $runs runs failed (outputs in target/conformance-load/)"
  exit 1
fi
echo "suite-under-load: $runs of $runs runs passed with $burners CPU burners beside them"
