#!/usr/bin/env bash
# Where the Solana SBF toolchain is installed (it cannot be fetched on the build
# machines here): build usd1.so and run the program tests and the cost benchmark
# against it, so the program's own compute units are metered and SBF's stack and
# heap limits apply.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-build-sbf >/dev/null || { echo "cargo-build-sbf not found: install the Solana platform tools" >&2; exit 1; }
cargo build-sbf --manifest-path programs/usd1/Cargo.toml --sbf-out-dir target/deploy
USD1_SBF_OUT_DIR="$PWD/target/deploy" cargo test -p usd1-tests --test program
USD1_SBF_OUT_DIR="$PWD/target/deploy" cargo run -p usd1-tests --example benchmarks
