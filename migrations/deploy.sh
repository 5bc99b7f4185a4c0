#!/usr/bin/env bash
# Deploy a built USD1 program to a cluster. Needs the `solana` CLI.
#   migrations/deploy.sh <cluster-url> <program-keypair.json> [path/to/usd1.so]
set -euo pipefail
url=${1:?cluster url (e.g. http://127.0.0.1:8899 or devnet)}
program_keypair=${2:?program keypair json (its pubkey must match declare_id!)}
so=${3:-target/deploy/usd1.so}
command -v solana >/dev/null || { echo "the solana CLI is required to deploy" >&2; exit 1; }
[ -f "$so" ] || { echo "$so not found: build it with scripts/build-sbf.sh" >&2; exit 1; }
expected=$(grep -o 'declare_id!("[^"]*")' "$(dirname "$0")/../programs/usd1/src/lib.rs" | cut -d'"' -f2)
actual=$(solana-keygen pubkey "$program_keypair")
[ "$expected" = "$actual" ] || { echo "program keypair is $actual but declare_id! is $expected" >&2; exit 1; }
solana program deploy --url "$url" --program-id "$program_keypair" "$so"
echo "deployed $expected to $url (sha256 $(sha256sum "$so" | cut -d' ' -f1)); next: runbook step 3, initialize (migrations/README.md)"
