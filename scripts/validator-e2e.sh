#!/usr/bin/env bash
# The program on agave's own validator (SPEC 13): build (or reuse) agave's `solana-test-validator`
# from the crates registry, start it on free ports with a fresh ledger and target/deploy/usd1.so
# deployed as an upgradeable program at the program id, run the deploy runbook's steps
# (migrations/README.md) against it, then every `--url` test: every drill, the CLI's localnet
# suite (ops and read commands, index + reconcile, the three-process durable-nonce flow, the ops
# kit, verify, events --follow) and the TypeScript live tests. The validator is stopped whatever
# happens.
#
#   scripts/validator-e2e.sh             build the validator if it is not in the tools folder
#   scripts/validator-e2e.sh --if-built  run only if it is there (CI); say so plainly otherwise
#   scripts/validator-e2e.sh --bench N   also the throughput benchmark (N mints) against it
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/validator-lib.sh

if_built=false
bench=0
while [ $# -gt 0 ]; do
  case $1 in
    --if-built) if_built=true ;;
    --bench) bench=${2:?--bench needs a number of mints}; shift ;;
    *) echo "unknown argument $1 (see the script's header)" >&2; exit 2 ;;
  esac
  shift
done

if [ ! -x "$validator" ] && $if_built; then
  echo "validator-e2e: SKIPPED: agave's solana-test-validator $agave_version is not in $tools (scripts/validator-e2e.sh builds it: about 36 minutes cold)"
  exit 0
fi
build_validator
"$validator" --version
build_program_and_cli

work=$(mktemp -d "${TMPDIR:-/tmp}/usd1-validator-e2e.XXXXXX")
keys=$work/keys
mkdir -p "$keys"
on_exit() {
  stop_validator
  echo "validator-e2e: validator stopped; its ledger and log are in $work"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# Runbook steps 1-2 on a local validator: the .so built, deployed upgradeable under the deployer.
deployer=$("$usd1" keygen --outfile "$keys/deployer.json")
start_validator "$work/ledger" 0 "$deployer" "$work/validator.log"
url=$validator_url
echo "validator-e2e: agave at $url: $(rpc "$url" '{"jsonrpc":"2.0","id":1,"method":"getVersion"}')"

# What scripts/local-validator.sh --upgrade-authority deployer.json --fund admin.json does
# after the start: the upgrade authority and the admin funded from the faucet.
role() { "$usd1" keygen --outfile "$keys/$1.json"; }
"$usd1" --url "$url" airdrop --to "$deployer" --sol 100 >/dev/null
role admin >/dev/null
"$usd1" --url "$url" --keypair "$keys/admin.json" airdrop --sol 100
# Runbook step 3: initialize, every role on its own key (the holders send their public keys).
"$usd1" --url "$url" --keypair "$keys/admin.json" --mint-keypair "$keys/mint.json" initialize \
  --council "$(role council1),$(role council2),$(role council3)" --threshold 2 \
  --master-minter "$(role master-minter)" --pauser "$(role pauser)" --denylister "$(role denylister)" \
  --burner "$(role burner)" --attester "$(role attester)"
# Runbook step 4: the upgrade authority to the council's vault. First a wrong key the command
# must refuse before signing: the mint, an account with data (as the Squads multisig account is).
if "$usd1" --url "$url" --keypair "$keys/deployer.json" set-upgrade-authority \
    --new-upgrade-authority "$("$usd1" keygen --outfile "$keys/mint.json")" 2>"$work/refused.txt"; then
  echo "validator-e2e: set-upgrade-authority handed the program to the mint account" >&2
  exit 1
fi
grep -q "not a vault" "$work/refused.txt" || { cat "$work/refused.txt" >&2; exit 1; }
vault=$(role vault)
"$usd1" --url "$url" --keypair "$keys/deployer.json" set-upgrade-authority --new-upgrade-authority "$vault"
# Runbook step 5: the deployment check before announcing the mint.
"$usd1" --url "$url" --mint "$keys/mint.json" verify --program-so "$so" --expect-upgrade-authority "$vault"

export USD1_CLUSTER_URL=$url USD1_CLUSTER_UPGRADE_AUTHORITY=$vault USD1_PROGRAM_SO=$so USD1_BIN=$usd1
echo "validator-e2e: the CLI's --url suite (every drill, ops and read commands, index + reconcile, durable nonce, ops kit, verify, events --follow)"
failed=()
cargo test --locked -q -p usd1-cli --test localnet -- --test-threads=1 || failed+=("the CLI's --url suite")

echo "validator-e2e: the TypeScript live tests (web3.js, Anchor, sendAndConfirmTransaction over agave's websocket)"
(cd clients/ts && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && USD1_REQUIRE_LOCALNET=1 npm test) || failed+=("the TypeScript tests")
if [ ${#failed[@]} -gt 0 ]; then
  echo "validator-e2e: FAILED against agave $agave_version: $(IFS=,; echo "${failed[*]}")" >&2
  exit 1
fi

if [ "$bench" -gt 0 ]; then
  echo "validator-e2e: throughput, $bench mints"
  cargo run --locked -q -p usd1-tests --example localnet_throughput "$bench"
fi
echo "validator-e2e: passed against agave $agave_version at $url"
