#!/usr/bin/env bash
# Runs terraform init + plan in every synthesized stack, leaves each stack's full plan.txt (for the
# artifact) and plan.json, and writes one Markdown summary for the sticky PR comment: a table of
# adds, changes, destroys and changed definitions per stack, then each plan, cut with a visible
# marker to stay under GitHub's comment limit (scripts/ci/plan-summary.ts). Exits non-zero if a
# plan fails.
set -uo pipefail
summary=${1:?usage: scripts/ci/plan-stacks.sh <summary.md> [stacks dir]}
root=$(cd "$(dirname "$0")/../.." && pwd)
stacks_dir=${2:-$root/cdktf.out/stacks}

shopt -s nullglob
stacks=("$stacks_dir"/*/)
if [ ${#stacks[@]} -eq 0 ]; then
  echo "no synthesized stacks under $stacks_dir: run npm run synth first" >&2
  exit 1
fi

status=0
for dir in "${stacks[@]}"; do
  rm -f "$dir/plan.json"
  if ! (cd "$dir" &&
    terraform init -input=false -no-color > init.log 2>&1 &&
    terraform plan -input=false -no-color -lock-timeout=120s -out=tfplan > plan.log 2>&1 &&
    terraform show -no-color tfplan > plan.txt &&
    terraform show -json tfplan > plan.json); then
    status=1
    rm -f "$dir/plan.json"
    cat "$dir/init.log" "$dir/plan.log" > "$dir/plan.txt" 2> /dev/null
  fi
done

commit=${GITHUB_SHA:-$(git -C "$root" rev-parse --short HEAD 2> /dev/null || echo unknown)}
node -r "$root/node_modules/sucrase/register" "$root/scripts/ci/plan-summary.ts" "$summary" "$stacks_dir" "$commit" || status=1
exit $status
