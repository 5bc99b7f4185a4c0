# Sourced by scripts/local-validator.sh and scripts/validator-e2e.sh: agave's own
# `solana-test-validator`, built once from the crates registry into a tools folder, started with
# target/deploy/usd1.so deployed as an upgradeable program at the program id.
#   $USD1_TOOLS_DIR   the tools folder (default ~/.cache/usd1-tools)

agave_version=3.1.12
tools=${USD1_TOOLS_DIR:-$HOME/.cache/usd1-tools}
validator=$tools/agave-$agave_version/bin/solana-test-validator
program_id=$(grep -o 'declare_id!("[^"]*")' programs/usd1/src/lib.rs | cut -d'"' -f2)
validator_pid=

# Build agave's solana-test-validator unless the tools folder has it (about 36 minutes cold on 2 cores).
build_validator() {
  [ -x "$validator" ] && return 0
  if ! dpkg -s libclang-dev >/dev/null 2>&1; then
    echo "validator: installing libclang-dev (agave's rocksdb bindings need it)"
    apt-get update -qq && apt-get install -y -qq libclang-dev
  fi
  echo "validator: building agave-validator $agave_version's solana-test-validator into $tools (about 36 minutes cold)"
  local started
  started=$(date +%s)
  CARGO_TARGET_DIR=$tools/agave-build cargo install agave-validator --version "$agave_version" \
    --bin solana-test-validator --locked --root "$tools/agave-$agave_version"
  echo "validator: built in $(( $(date +%s) - started ))s"
  rm -rf "$tools/agave-build"
}

# The .so (scripts/build-sbf.sh: Solana's cargo build-sbf, else ../shared/sbf) and the usd1 CLI.
build_program_and_cli() {
  if ! command -v cargo-build-sbf >/dev/null 2>&1; then
    export SBF_TOOLCHAIN=${SBF_TOOLCHAIN:-../shared/sbf}
  fi
  scripts/build-sbf.sh
  cargo build --locked -q -p usd1-cli
  so=$PWD/target/deploy/usd1.so
  usd1=$PWD/target/debug/usd1
}

# A free block of 40 ports from $1 (0: anywhere): prints "RPC FAUCET GOSSIP LOW-HIGH". The
# websocket is RPC + 1, where web3.js and the CLI look for it.
free_ports() {
  python3 - "$1" <<'PYTHON'
import random, socket, sys
def free(port):
    with socket.socket() as tcp, socket.socket(type=socket.SOCK_DGRAM) as udp:
        try:
            tcp.bind(("127.0.0.1", port)); udp.bind(("127.0.0.1", port)); return True
        except OSError:
            return False
wanted = int(sys.argv[1])
candidates = [wanted] if wanted else [random.randrange(20000, 60000, 100) for _ in range(200)]
for base in candidates:
    if all(free(port) for port in range(base, base + 40)):
        print(base, base + 2, base + 3, f"{base + 10}-{base + 40}")
        sys.exit(0)
sys.exit(f"ports {wanted}-{wanted + 39} are not free" if wanted else "no free block of 40 ports")
PYTHON
}

rpc() { curl -s -X POST -H 'Content-Type: application/json' --data "$2" "$1"; }

# start_validator LEDGER_DIR RPC_PORT UPGRADE_AUTHORITY LOG: the validator in the background
# ($validator_pid), the .so deployed at genesis under UPGRADE_AUTHORITY; returns once healthy.
start_validator() {
  local ledger=$1 port=$2 authority=$3 log=$4 rpc_port faucet_port gossip_port dynamic_ports
  read -r rpc_port faucet_port gossip_port dynamic_ports < <(free_ports "$port") || return 1
  validator_url=http://127.0.0.1:$rpc_port
  "$validator" --ledger "$ledger" --reset --quiet \
    --bind-address 127.0.0.1 --rpc-port "$rpc_port" --faucet-port "$faucet_port" \
    --gossip-port "$gossip_port" --dynamic-port-range "$dynamic_ports" \
    --upgradeable-program "$program_id" "$so" "$authority" \
    >"$log" 2>&1 &
  validator_pid=$!
  local attempt health
  for attempt in $(seq 240); do
    if ! kill -0 "$validator_pid" 2>/dev/null; then
      echo "validator: exited during start: $(tail -20 "$log")" >&2
      return 1
    fi
    health=$(rpc "$validator_url" '{"jsonrpc":"2.0","id":1,"method":"getHealth"}' 2>/dev/null || true)
    case $health in *'"result":"ok"'*) return 0 ;; esac
    sleep 0.5
  done
  echo "validator: no health at $validator_url after 120 s: $(tail -20 "$log")" >&2
  return 1
}

stop_validator() {
  if [ -n "$validator_pid" ] && kill -0 "$validator_pid" 2>/dev/null; then
    kill -TERM "$validator_pid" 2>/dev/null || true
    local _
    for _ in $(seq 50); do kill -0 "$validator_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$validator_pid" 2>/dev/null || true
    wait "$validator_pid" 2>/dev/null || true
  fi
}
