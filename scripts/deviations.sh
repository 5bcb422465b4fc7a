#!/usr/bin/env bash
# Shows that the conformance suite catches every deliberate deviation of the reference VNFM
# (`simulator --deviation NAME`, docs/deviations.md): for each deviation in turn, starts the
# `simulator` binary with that one deviation on ports of its own, runs the built conformance
# suite against it as an external target without a control URL (the @fault scenarios are not
# applicable, so each run stays short), and fails if the deviation produced no FAIL. The
# deviations only the data checks catch (DATA_DEVIATIONS) run the data scenarios alone
# (features/data.feature, tag @doc:purpose) with the control URL, which writes and reads the
# markers on the VNFCs' disks.
#
#   scripts/deviations.sh [JOBS] [NAME...]   (defaults: 3 deviations at a time, all of them)
#
# Prints one line per deviation (name, FAIL count, first failing scenario) and a summary. Each
# run's files (target file, the binary's log, the suite's output and reports) are in
# target/deviations/<name>/.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=${1:-3}
shift || true

# The test build makes target/debug/simulator too (the crate tests start it): after `cargo test`
# nothing is rebuilt.
cargo test --no-run --quiet
suite=$(cargo test --test conformance --no-run 2>&1 |
  sed -n 's/.*Executable .*(\(.*conformance-[0-9a-f]*\)).*/\1/p' | tail -n 1)
if [ -z "$suite" ] || [ ! -x "$suite" ]; then
  echo "deviations: cannot find the built conformance binary" >&2
  exit 2
fi

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  mapfile -t names < <(target/debug/simulator --deviation list | awk '{print $1}')
fi
out=target/deviations
rm -rf "$out"
mkdir -p "$out"

# The deviations that change what the VNFCs' disks hold, and nothing the other checks read.
DATA_DEVIATIONS=${DATA_DEVIATIONS-" revert-swaps-vnfc-snapshots revert-from-newest-snapshot image-copied-from-boot-image "}

# Whether none of the ports base..base+3 is listened on (a connection is refused on each).
ports_free() {
  local base=$1 port
  for port in $base $((base + 1)) $((base + 2)) $((base + 3)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 1; fi
  done
}

# Runs the suite against the binary started with deviation $1 on the ports from $2 on, and
# writes "<name> <FAIL count> <first failing scenario>" to its result file.
run_one() {
  local name=$1 base=$2
  local dir=$out/$name
  mkdir -p "$dir"
  local cloud=$base http=$((base + 1)) https=$((base + 2)) sink=$((base + 3))
  target/debug/simulator --no-demo --deviation "$name" --cert-dir "$dir" \
    --cloud-listen "127.0.0.1:$cloud" --vnfm-http-listen "127.0.0.1:$http" \
    --vnfm-https-listen "127.0.0.1:$https" >"$dir/simulator.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$dir/simulator.pid"
  local ready=
  for _ in $(seq 1 1200); do
    if grep -qs '^# Ready' "$dir/simulator.log"; then ready=yes; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$ready" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$dir/simulator.pid"
    echo "$name 0 (the simulator did not start: $dir/simulator.log)" >"$dir/result.txt"
    return
  fi
  local control='/^control_url/d' selection=()
  if [[ $DATA_DEVIATIONS == *" $name "* ]]; then
    control='/^vnfm_control_url/d'
    selection=(--tags @doc:purpose)
  fi
  sed -e "s/127\.0\.0\.1:8251/127.0.0.1:$https/g" \
    -e "s/127\.0\.0\.1:9876/127.0.0.1:$sink/g" \
    -e "s/127\.0\.0\.1:5000/127.0.0.1:$cloud/g" \
    -e "$control" \
    -e "s|^ca_file = .*|ca_file = \"$dir/vnfm-cert.pem\"|" \
    -e "s|^name = .*|name = \"simulator binary with deviation $name\"|" \
    targets/local-simulator.toml >"$dir/target.toml"
  CONFORMANCE_TARGET=$dir/target.toml CONFORMANCE_REPORT_DIR=$dir \
    "$suite" "${selection[@]}" >"$dir/output.txt" 2>&1 || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$dir/simulator.pid"
  python3 - "$dir/conformance.json" "$name" >"$dir/result.txt" <<'EOF'
import json, sys
try:
    report = json.load(open(sys.argv[1]))
except (OSError, ValueError) as error:
    print(sys.argv[2], 0, f"(no report: {error})")
    sys.exit()
failed = [s["scenario"] for s in report["scenarios"] if s["verdict"] == "FAIL"]
print(sys.argv[2], len(failed), failed[0] if failed else "-")
EOF
}

# Worker $1 of $jobs runs every $jobs-th deviation, one after the other, on its own ports.
worker() {
  local slot=$1 base=$((31000 + $1 * 10)) i
  while ! ports_free "$base"; do base=$((base + 100)); done
  for ((i = slot; i < ${#names[@]}; i += jobs)); do
    run_one "${names[$i]}" "$base"
  done
}

# Stops the binaries still running (their pid files are removed once they are stopped).
stop_all() {
  local file
  for file in "$out"/*/simulator.pid; do
    [ -e "$file" ] && kill "$(cat "$file")" 2>/dev/null || true
  done
}
trap stop_all EXIT

start=$(date +%s)
echo "deviations: ${#names[@]} deviations, $jobs at a time, suite $suite"
worker_pids=()
for ((slot = 0; slot < jobs; slot++)); do
  worker "$slot" &
  worker_pids+=($!)
done
wait "${worker_pids[@]}"

missed=0
for name in "${names[@]}"; do
  read -r _ fails first <"$out/$name/result.txt"
  printf '%-37s %3s FAIL  %s\n' "$name" "$fails" "$first"
  if [ "$fails" = 0 ]; then missed=$((missed + 1)); fi
done
seconds=$(($(date +%s) - start))
if [ "$missed" -gt 0 ]; then
  echo "deviations: $missed of ${#names[@]} deviations were not caught (in ${seconds} s; files in $out/)"
  exit 1
fi
echo "deviations: all ${#names[@]} deviations caught (in ${seconds} s)"
