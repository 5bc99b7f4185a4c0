#!/usr/bin/env bash
# Deploy to a local validator: agave's own `solana-test-validator` (built once from the crates
# registry, see scripts/validator-lib.sh) with target/deploy/usd1.so deployed as an upgradeable
# program at the program id, on 127.0.0.1:8899 (websocket 8900), `usd1 -u localhost` reaches it.
# Runs in the foreground; Ctrl-C stops it. The deploy runbook, migrations/README.md, goes on from here.
#
#   scripts/local-validator.sh [--port 8899] [--upgrade-authority KEYPAIR_FILE] [--fund KEYPAIR_FILE ...]
#
# --upgrade-authority: the keypair that may upgrade or hand over the program [default: the Solana
# CLI's keypair, else target/local-validator/deployer.json; created if missing, and funded].
# --fund: airdrop 100 SOL to each keypair file's key once the validator is up (created if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/validator-lib.sh

port=8899
authority=
fund=()
while [ $# -gt 0 ]; do
  case $1 in
    --port) port=${2:?}; shift ;;
    --upgrade-authority) authority=${2:?}; shift ;;
    --fund) fund+=("${2:?}"); shift ;;
    *) echo "unknown argument $1 (see the script's header)" >&2; exit 2 ;;
  esac
  shift
done

build_validator
build_program_and_cli
state=$PWD/target/local-validator
mkdir -p "$state"
if [ -z "$authority" ]; then
  authority=$(sed -n 's/^keypair_path: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' ~/.config/solana/cli/config.yml 2>/dev/null || true)
  [ -n "$authority" ] && [ -f "$authority" ] || authority=$state/deployer.json
fi
authority_key=$("$usd1" keygen --outfile "$authority")

trap stop_validator EXIT
trap 'exit 130' INT TERM
start_validator "$state/ledger" "$port" "$authority_key" "$state/validator.log"
# The upgrade authority pays for the hand-over (runbook step 4); --fund keys pay for the rest.
"$usd1" --url "$validator_url" airdrop --to "$authority_key" --sol 100 >/dev/null
for keypair in "${fund[@]}"; do
  "$usd1" keygen --outfile "$keypair" >/dev/null
  "$usd1" --url "$validator_url" --keypair "$keypair" airdrop --sol 100
done
echo "agave solana-test-validator $agave_version at $validator_url (websocket ws://127.0.0.1:$((port + 1)))"
echo "program $program_id: target/deploy/usd1.so, program hash $(python3 -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read().rstrip(b"\0")).hexdigest())' "$so"), upgrade authority $authority_key"
echo "fund a key: usd1 -u $validator_url -k KEYPAIR airdrop; log: $state/validator.log; Ctrl-C stops it"
wait "$validator_pid"
