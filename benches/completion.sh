#!/usr/bin/env bash
# Benchmark (not a test): time of one dynamic completion of `--cluster` (the shell runs
# `COMPLETE=bash ac -- ac adm upgrade --cluster ''` on every <TAB>). Target: under 30 ms.
# Usage: benches/completion.sh [path/to/ac]   (default: target/release/ac; build it first)
set -euo pipefail
ac=${1:-target/release/ac}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# A kubeconfig the size of a real one: one session with 50 clusters.
{
  echo "apiVersion: v1"; echo "kind: Config"; echo "clusters:"
  for i in $(seq 0 49); do
    name=$([ "$i" = 0 ] && echo global || echo "workload-$i")
    global=$([ "$i" = 0 ] && echo true || echo false)
    cat <<YAML
- name: acp:prod:$name
  cluster:
    server: https://acp.example.com/kubernetes/$name/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: $global, platformUrl: https://acp.example.com, sessionName: prod, clusterName: $name}
YAML
  done
  echo "users: [{name: acp:prod:user, user: {token: x}}]"
  echo "contexts: [{name: prod/global, context: {cluster: 'acp:prod:global', user: 'acp:prod:user'}}]"
  echo "current-context: prod/global"
} > "$dir/kubeconfig"
export KUBECONFIG="$dir/kubeconfig"
run() { COMPLETE=bash _CLAP_COMPLETE_INDEX=4 _CLAP_IFS=$'\013' "$ac" -- ac adm upgrade --cluster '' > /dev/null; }
run
n=${N:-200}
start=$(date +%s%N)
for _ in $(seq "$n"); do run; done
end=$(date +%s%N)
echo "completion of --cluster (50-cluster kubeconfig): $(( (end - start) / n / 1000 )) µs per invocation over $n runs"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 5 -N "env COMPLETE=bash _CLAP_COMPLETE_INDEX=4 $ac -- ac adm upgrade --cluster ''"
fi
