#!/usr/bin/env bash
# Benchmark (not a test) of `ac adm upgrade rollout` on a large fleet (docs/performance.md,
# "Rollout"): ac-sim at its highest speed, so that the run measures `ac`, not upgrades.
#   cargo build --release --bins && benches/rollout.sh
# For each fleet size: the plan (`--dry-run`) next to `status --all-clusters` (median of RUNS
# runs each, peak RSS), then one whole rollout with --max-parallel=PARALLEL under GNU time (wall,
# CPU, peak RSS), the sockets `ac` holds sampled every 0.2 s, and the scheduler's own time
# (`-v=4` prints it).
# Knobs: BIN (target/release), SIZES ("1000 5000"), PARALLEL (50), RUNS (5), SPEED (1000000).
set -euo pipefail
bin=$(cd "${BIN:-target/release}" && pwd)
sizes=${SIZES:-1000 5000}
parallel=${PARALLEL:-50}
runs=${RUNS:-5}
speed=${SPEED:-1000000}
work=$(mktemp -d)
sim=
cleanup() {
  [ -n "$sim" ] && kill "$sim" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start_sim() {
  kc="$work/kubeconfig-$1"
  "$bin/ac-sim" serve --clusters "$1" --fleet idle --speed "$speed" --kubeconfig "$kc" \
    > "$work/sim-$1.log" 2>&1 &
  sim=$!
  for _ in $(seq 600); do grep -q '^export KUBECONFIG' "$work/sim-$1.log" && return; sleep 0.1; done
  echo "ac-sim did not start:" >&2; cat "$work/sim-$1.log" >&2; exit 1
}
stop_sim() { kill "$sim" 2>/dev/null || true; wait "$sim" 2>/dev/null || true; sim=; }

# median_ms COMMAND…: the median wall time of $runs runs, in ms.
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" > /dev/null 2>&1 || true
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
# rss_mb COMMAND…: peak resident memory of one run.
rss_mb() {
  /usr/bin/time -f '%M' -o "$work/rss" "$@" > /dev/null 2>&1 || true
  echo $(( $(tail -1 "$work/rss") / 1024 ))
}

for n in $sizes; do
  start_sim "$n"
  export KUBECONFIG=$kc
  echo "== $n workload clusters (+ global), --max-parallel=$parallel, ac-sim speed $speed"
  status=$(median_ms "$bin/ac" adm upgrade status --all-clusters)
  plan=$(median_ms "$bin/ac" adm upgrade rollout --to=4.3.0 --dry-run)
  echo "status --all-clusters: ${status} ms, $(rss_mb "$bin/ac" adm upgrade status --all-clusters) MB"
  echo "rollout --dry-run:     ${plan} ms, $(rss_mb "$bin/ac" adm upgrade rollout --to=4.3.0 --dry-run) MB ($(awk -v a="$plan" -v b="$status" 'BEGIN {printf "%.2f", a / b}')× status)"

  /usr/bin/time -f '%M KB peak RSS, %e s wall, %U s user, %S s system' -o "$work/time" \
    "$bin/ac" -v=4 adm upgrade rollout --to=4.3.0 --max-parallel="$parallel" -o json \
    > "$work/report.json" 2> "$work/rollout.err" &
  timer=$!
  sockets_max=0 sockets_min=999999 samples=0
  while kill -0 "$timer" 2>/dev/null; do
    pid=$(pgrep -P "$timer" || true)
    if [ -n "$pid" ]; then
      s=$(find "/proc/$pid/fd" -lname 'socket:*' 2>/dev/null | wc -l || true)
      if [ "$s" -gt 0 ]; then
        samples=$((samples + 1))
        [ "$s" -gt "$sockets_max" ] && sockets_max=$s
        [ "$s" -lt "$sockets_min" ] && sockets_min=$s
      fi
    fi
    sleep 0.2
  done
  code=0; wait "$timer" || code=$?
  echo "rollout: exit $code; $(cat "$work/time")"
  echo "  outcome: $(grep -o '"outcome": *"[a-zA-Z]*"' "$work/report.json" | head -1), $(grep -c '"state": "completed"' "$work/report.json") clusters completed"
  echo "  sockets held by ac: $sockets_min to $sockets_max over $samples samples"
  echo "  $(grep -o 'rollout: [0-9]* events.*' "$work/rollout.err" || echo 'no scheduler line')"
  stop_sim
  echo
done
