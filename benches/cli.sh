#!/usr/bin/env bash
# Benchmark (not a test): wall time of whole `ac` processes against a local ac-sim, next to the
# kubectl one-liner they replace. Needs hyperfine (apt-get install hyperfine) and release builds:
#   cargo build --release --bins && benches/cli.sh
set -euo pipefail
bin=${BIN:-target/release}
dir=$(mktemp -d)
"$bin/ac-sim" serve --kubeconfig "$dir/kubeconfig" --clusters "${CLUSTERS:-200}" > "$dir/sim.log" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do [ -s "$dir/kubeconfig" ] && break; sleep 0.1; done
export KUBECONFIG="$dir/kubeconfig"
ls -l "$bin/ac" | awk '{print "ac binary size: " $5 " bytes"}'
hyperfine -N --warmup 5 --runs "${RUNS:-50}" \
  "$bin/ac adm upgrade" \
  "$bin/ac adm upgrade status" \
  "$bin/ac adm upgrade status --all-clusters" \
  "kubectl get cvsh global -n cpaas-system -o json"
