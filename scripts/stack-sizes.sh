#!/usr/bin/env bash
# The USD1 program's largest stack frames, as compiled for the HOST (x86_64), not SBF.
#
#   scripts/stack-sizes.sh [N]     # the N largest frames (default 25)
#
# A PROXY, labelled as such: the SBF toolchain cannot be installed here, and SBF's
# 4 KiB frame limit applies to SBF code, whose frames differ (other ABI, register
# count, inlining). What a host build does show is which functions carry big locals
# (an unboxed account, a large array) and whether splitting a handler into
# non-inlined helpers keeps each frame small. Needs nightly flags on stable
# (RUSTC_BOOTSTRAP=1, -Z emit-stack-sizes) and llvm-readobj (Debian: llvm).
set -euo pipefail
cd "$(dirname "$0")/.."
top=${1:-25}
readobj=$(command -v llvm-readobj || command -v llvm-readobj-14 || true)
if [ -z "$readobj" ]; then
  echo "llvm-readobj not found: apt-get install llvm" >&2
  exit 1
fi
# Release optimizations as for a deployed program, without LTO so the crate's own
# object file can be read alone; a separate target directory keeps the flags apart.
export RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=target/stack-sizes CARGO_PROFILE_RELEASE_LTO=false
RUSTFLAGS="-Z emit-stack-sizes" cargo rustc --quiet --locked -p usd1 --lib --release -- --emit=obj
object=$(ls -t target/stack-sizes/release/deps/usd1*.o | head -1)
echo "largest stack frames of the usd1 crate (host x86_64 proxy, release, no LTO): $object"
"$readobj" --stack-sizes --demangle --elf-output-style=GNU "$object" 2>/dev/null \
  | awk '$1 ~ /^[0-9]+$/ { size = $1; $1 = ""; sub(/^ +/, ""); print size "\t" $0 }' \
  | sort -rn | head -n "$top" \
  | while IFS=$'\t' read -r size name; do
      printf '%6d  %s\n' "$size" "$(echo "$name" | sed -E 's/\[[0-9a-f]{16}\]//g; s/anchor_lang:://g; s/usd1::instructions:://g')"
    done
