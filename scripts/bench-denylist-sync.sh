#!/usr/bin/env bash
# Benchmark of `usd1 denylist sync` (BENCHMARKS.md): a 10,000-row sanctions list diffed against
# 5,000 on-chain entries (2,500 stay, 2,500 go, 7,500 come), on an embedded ledger file.
#   cargo build -p usd1-cli && scripts/bench-denylist-sync.sh
set -euo pipefail
cd "$(dirname "$0")/.."
usd1=target/debug/usd1
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT; echo "work: $work" >&2
for name in admin c1 c2 c3 mm p d b a; do $usd1 keygen --outfile "$work/$name.json" > /dev/null; done
ledger=(--ledger "$work/usd1.ledger")
$usd1 "${ledger[@]}" --keypair "$work/admin.json" --mint-keypair "$work/mint.json" initialize \
  --council "$work/c1.json,$work/c2.json,$work/c3.json" --threshold 2 --master-minter "$work/mm.json" \
  --pauser "$work/p.json" --denylister "$work/d.json" --burner "$work/b.json" --attester "$work/a.json" > /dev/null
python3 - "$work" <<'PY'
import sys, os, hashlib
work = sys.argv[1]
alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
def b58(data):
    n = int.from_bytes(data, "big"); out = ""
    while n: n, r = divmod(n, 58); out = alphabet[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out
wallets = [b58(hashlib.sha256(f"wallet-{i}".encode()).digest()) for i in range(12500)]
with open(f"{work}/first.csv", "w") as f:
    f.write("wallet,reason\n"); f.writelines(f"{w},SDN-{i}\n" for i, w in enumerate(wallets[:5000]))
with open(f"{work}/second.csv", "w") as f:
    f.write("wallet,reason\n"); f.writelines(f"{w},SDN-{i}\n" for i, w in enumerate(wallets[2500:]))
PY
sync() { $usd1 "${ledger[@]}" --keypair "$work/d.json" --mint "$work/mint.json" --output json denylist sync "$@"; }
summary='import json,sys; r=json.load(sys.stdin); print("added %d, removed %d, unchanged %d, failed %d, transactions %d" % (len(r["added"]), len(r["removed"]), r["unchanged"], len(r["failed"]), r["transactions_sent"]))'
echo "setup: 5,000 entries on chain"
sync --list "$work/first.csv" | python3 -c "$summary"
for run in "dry run:--dry-run" "sync:" "re-run:"; do
  label=${run%%:*}; flag=${run#*:}
  start=$(date +%s.%N)
  line=$(sync --list "$work/second.csv" --max-removals 2500 $flag | python3 -c "$summary")
  end=$(date +%s.%N)
  printf '%s (10,000 rows vs %s): %s in %.1f s\n' "$label" "the chain" "$line" "$(echo "$end - $start" | bc)"
done
