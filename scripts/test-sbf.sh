#!/usr/bin/env bash
# The program on its real machine: build usd1.so (scripts/build-sbf.sh: Solana's cargo build-sbf when
# installed, otherwise the replacement in $SBF_TOOLCHAIN, e.g. ../shared/sbf), then run against it the
# program-test suite and the property tests, every drill and the demo through the CLI, and the cost
# benchmarks (which write BENCHMARKS.md's SBF columns).
#
#   SBF_TOOLCHAIN=../shared/sbf scripts/test-sbf.sh            # build, test, benchmark
#   scripts/test-sbf.sh --no-bench                             # build and test only
set -euo pipefail
cd "$(dirname "$0")/.."
bench=1
case "${1:-}" in
  "") ;;
  --no-bench) bench=0 ;;
  *) echo "test-sbf: unknown argument $1 (only --no-bench)" >&2; exit 2 ;;
esac
if ! command -v cargo-build-sbf >/dev/null 2>&1 && [ -z "${SBF_TOOLCHAIN:-}" ] && [ -x ../shared/sbf/cargo-build-sbf ]; then
  export SBF_TOOLCHAIN=../shared/sbf
fi
scripts/build-sbf.sh
so="$PWD/target/deploy/usd1.so"
USD1_SBF_OUT_DIR="$PWD/target/deploy" cargo test --locked -p usd1-tests
USD1_PROGRAM_SO="$so" cargo test --locked -p usd1-cli
if [ "$bench" = 1 ]; then
  USD1_PROGRAM_SO="$so" cargo run --locked -p usd1-tests --example benchmarks
  USD1_PROGRAM_SO="$so" cargo run --locked -p usd1-tests --example hook_costs
fi
