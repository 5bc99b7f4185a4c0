#!/usr/bin/env bash
# The attestation report over the demo (README's chart): the demo drill recorded on the
# embedded ledger, indexed, and reported over the week around today against a reserves file.
#   scripts/report-demo.sh [OUT_DIR]      (default: target/report-demo)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/report-demo}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
usd1() { cargo run --quiet --locked -p usd1-cli -- "$@"; }
usd1 drill run cli/demo.json --record "$work/demo.jsonl" > "$work/drill.log" 2>&1 || { cat "$work/drill.log"; exit 1; }
usd1 index --db "$work/demo.sqlite" --from-file "$work/demo.jsonl" --quiet > /dev/null
from="$(date -u -d '-3 days' +%F)"
to="$(date -u -d '+3 days' +%F)"
printf 'date,amount,source\n%s,5000,bank statement\n' "$from" > "$work/reserves.csv"
usd1 report --db "$work/demo.sqlite" --reserves "$work/reserves.csv" --from "$from" --to "$to" --out "$out"
