#!/usr/bin/env bash
# Regenerate the TypeScript client's fixtures from the Rust side, and its IDL module:
#   clients/ts/test/fixtures/rust.json       accounts, transactions with events, every instruction case
#   clients/ts/test/fixtures/recording.jsonl a `drill run --record` of a seizure drill (events with raw bytes)
#   clients/ts/src/usd1.ts                   idl/usd1.json as a value and a type
# The Rust test `integrator_fixtures` fails while these are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
USD1_WRITE_FIXTURES=1 cargo test --quiet --locked -p usd1-tests --test program integrator_fixtures -- --nocapture
cargo run --quiet --locked -p usd1-cli -- drill run tests/drills/lawful_order_seizure.json \
  --record clients/ts/test/fixtures/recording.jsonl > /dev/null
node clients/ts/scripts/generate-idl.mjs
