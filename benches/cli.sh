#!/usr/bin/env bash
# Benchmark (not a test): wall time and peak memory of whole `ac` processes against a local
# ac-sim, next to the kubectl commands they replace, measured in the same run (docs/performance.md).
# Needs hyperfine, kubectl and GNU time (apt-get install hyperfine time; kubectl from
# kubernetes-client), and release builds:
#   cargo build --release --bins && benches/cli.sh
# Knobs: BIN (default target/release), CLUSTERS (5000), RUNS (20), KUBECTL_RUNS (5),
#        SIZES (fleets for the linearity run, default "1000 5000 10000"; empty: skip it).
set -euo pipefail
bin=$(cd "${BIN:-target/release}" && pwd)
clusters=${CLUSTERS:-5000}
runs=${RUNS:-20}
kruns=${KUBECTL_RUNS:-5}
sizes=${SIZES-1000 5000 10000}
work=$(mktemp -d)
sims=()
cleanup() {
  for pid in "${sims[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# start_sim N: a simulator with N workload clusters (controller off: the same objects on every
# run); sets $kc to its kubeconfig (one cluster entry per cluster, what a session of that size
# writes) once it accepts connections.
start_sim() {
  kc="$work/kubeconfig-$1"
  "$bin/ac-sim" serve --no-controller --clusters "$1" --kubeconfig "$kc" > "$work/sim-$1.log" 2>&1 &
  sims+=($!)
  for _ in $(seq 600); do grep -q '^export KUBECONFIG' "$work/sim-$1.log" && return; sleep 0.1; done
  echo "ac-sim did not start:" >&2; cat "$work/sim-$1.log" >&2; exit 1
}
stop_sims() {
  for pid in "${sims[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  sims=()
}
# rss KUBECONFIG COMMAND…: peak resident memory of one run, in MB.
rss() {
  local k=$1; shift
  KUBECONFIG=$k /usr/bin/time -f '%M' -o "$work/rss" "$@" > /dev/null 2> "$work/rss.err" || true
  echo "$(( $(tail -1 "$work/rss") / 1024 )) MB"
}
bench() { hyperfine -N --style basic "$@" 2>&1 | grep -E '^(Benchmark|  Time|  Range)' || true; }

ls -l "$bin/ac" | awk '{print "ac binary: " $5 " bytes"}'
kubectl version --client 2>/dev/null | head -1
start_sim "$clusters"
big=$kc
small="$work/kubeconfig-small"
kubectl config view --minify --flatten --context sim/global --kubeconfig "$big" > "$small"
raw=/kubernetes/global/apis/config.alauda.io/v1/namespaces/cpaas-system/clusterversionshadows
echo "fleet: $clusters workload clusters; kubeconfig $(wc -c < "$big") bytes ($(grep -c '^- cluster:' "$big") cluster entries), small $(wc -c < "$small") bytes"

echo; echo "== 1. status, small kubeconfig"
bench --warmup 5 --runs "$runs" \
  "env KUBECONFIG=$small $bin/ac adm upgrade status" \
  "env KUBECONFIG=$small $bin/ac adm upgrade" \
  "env KUBECONFIG=$small kubectl get --raw $raw/global"
echo "RSS: ac $(rss "$small" "$bin/ac" adm upgrade status), kubectl $(rss "$small" kubectl get --raw "$raw/global")"

echo; echo "== 2. status, the $clusters-cluster session's kubeconfig"
bench --warmup 2 --runs "$runs" \
  "env KUBECONFIG=$big $bin/ac adm upgrade status" \
  "env KUBECONFIG=$big kubectl get --raw $raw/global"
echo "RSS: ac $(rss "$big" "$bin/ac" adm upgrade status), kubectl $(rss "$big" kubectl get --raw "$raw/global")"

echo; echo "== 3. status --all-clusters, $clusters clusters (LIST in pages of 500)"
bench --warmup 1 --runs "$runs" "env KUBECONFIG=$small $bin/ac adm upgrade status --all-clusters"
bench --warmup 1 --runs "$kruns" "env KUBECONFIG=$small kubectl get cvsh -n cpaas-system -o json"
echo "RSS: ac $(rss "$small" "$bin/ac" adm upgrade status --all-clusters), kubectl $(rss "$small" kubectl get cvsh -n cpaas-system -o json)"
echo "bytes: $(KUBECONFIG=$small kubectl get --raw "$raw" | wc -c) in one unpaged LIST"
# What paging costs: the pages as ac requests them (-v=6 prints one line per request).
KUBECONFIG=$small "$bin/ac" -v=6 adm upgrade status --all-clusters 2>&1 >/dev/null |
  grep -E 'GET .*clusterversionshadows' |
  awk '{ for (i = 1; i < NF - 1; i++) if ($i == "in" && $(i + 2) == "milliseconds") { t += $(i + 1); n++ } }
       END { if (n) printf "pages: %d requests, %d ms until their response headers in total\n", n, t }'
bench --warmup 1 --runs "$runs" \
  "env KUBECONFIG=$small kubectl get --raw $raw?limit=500" \
  "env KUBECONFIG=$small kubectl get --raw $raw"
stop_sims

if [ -n "$sizes" ]; then
  echo; echo "== 4. linearity: status --all-clusters by fleet size"
  for n in $sizes; do
    start_sim "$n"
    k="$work/kubeconfig-small-$n"
    kubectl config view --minify --flatten --context sim/global --kubeconfig "$kc" > "$k"
    echo "-- $n clusters: RSS $(rss "$k" "$bin/ac" adm upgrade status --all-clusters)"
    bench --warmup 1 --runs 10 "env KUBECONFIG=$k $bin/ac adm upgrade status --all-clusters"
    echo "-- $n cluster entries in kubeconfig: RSS $(rss "$kc" "$bin/ac" adm upgrade status)"
    bench --warmup 1 --runs 10 "env KUBECONFIG=$kc $bin/ac adm upgrade status"
    stop_sims
  done
fi
