#!/usr/bin/env bash
# Runs terraform init + plan in every synthesized stack and writes one Markdown summary (for the
# sticky PR comment) plus each stack's plan.txt (for the artifact). Exits non-zero if a plan fails.
set -uo pipefail
summary=${1:?usage: scripts/ci/plan-stacks.sh <summary.md>}
root=$(cd "$(dirname "$0")/../.." && pwd)
# A PR comment holds at most 65,536 characters; keep each stack's share well below that.
max_chars_per_stack=${PLAN_MAX_CHARS:-30000}

shopt -s nullglob
stacks=("$root"/cdktf.out/stacks/*/)
if [ ${#stacks[@]} -eq 0 ]; then
  echo "no synthesized stacks under cdktf.out/stacks: run npm run synth first" >&2
  exit 1
fi

status=0
{
  echo "## terraform plan"
  echo
  echo "Commit ${GITHUB_SHA:-$(git -C "$root" rev-parse --short HEAD)}; the full plans are in the \`terraform-plan\` artifact."
} > "$summary"
for dir in "${stacks[@]}"; do
  stack=$(basename "$dir")
  if (cd "$dir" &&
    terraform init -input=false -no-color > init.log 2>&1 &&
    terraform plan -input=false -no-color -lock-timeout=120s -out=tfplan > plan.log 2>&1 &&
    terraform show -no-color tfplan > plan.txt); then
    headline=$(grep -E '^(Plan:|No changes)' "$dir/plan.txt" | head -n 1)
  else
    status=1
    cat "$dir/init.log" "$dir/plan.log" > "$dir/plan.txt" 2> /dev/null
    headline="plan FAILED"
  fi
  {
    echo
    echo "<details><summary><b>$stack</b>: ${headline:-see the plan}</summary>"
    echo
    echo '```'
    head -c "$max_chars_per_stack" "$dir/plan.txt"
    echo
    echo '```'
    echo "</details>"
  } >> "$summary"
done
exit $status
