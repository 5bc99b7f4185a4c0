#!/usr/bin/env bash
# Regenerate idl/usd1.json with plain cargo (no `anchor` CLI, no SBF toolchain).
#   scripts/idl.sh           write idl/usd1.json
#   scripts/idl.sh --check   fail if the committed IDL differs from the code
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
cargo run --quiet --locked -p usd1-idl-gen > "$out"
if [ "${1:-}" = "--check" ]; then
  if ! diff -u idl/usd1.json "$out"; then
    echo "idl/usd1.json is stale: run scripts/idl.sh and commit the result" >&2
    exit 1
  fi
  echo "idl/usd1.json is up to date"
else
  cat "$out" > idl/usd1.json
  echo "wrote idl/usd1.json"
fi
