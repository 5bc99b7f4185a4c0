#!/usr/bin/env bash
# Build the program's SBF shared object: target/deploy/usd1.so and target/deploy/usd1.so.sha256.
#
#   scripts/build-sbf.sh                      # cargo build-sbf (Solana's platform tools) when installed,
#                                             # otherwise the replacement in $SBF_TOOLCHAIN
#   SBF_TOOLCHAIN=../shared/sbf scripts/build-sbf.sh
#   scripts/build-sbf.sh --check-reproducible # build twice from clean target dirs, fail if the hashes differ
#
# Prints which builder it used (stderr) and the sha256 (stdout: "<hash>  target/deploy/usd1.so").
# A stack frame over 4 KiB fails the build with either builder: the replacement's LLVM refuses one, and
# cargo build-sbf's "Stack offset ... exceeded max offset" warning is turned into a failure here.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/target/deploy
manifest=programs/usd1/Cargo.toml
reproducible=0
for argument in "$@"; do
  case "$argument" in
    --check-reproducible) reproducible=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "build-sbf: unknown argument $argument" >&2; exit 2 ;;
  esac
done

# Which builder: the platform tools' cargo build-sbf first (what an issuer's engineers have), then the
# replacement named by SBF_TOOLCHAIN (a folder holding a cargo-build-sbf script).
builder=""; builder_name=""
if [ -z "${SBF_TOOLCHAIN:-}" ] && command -v cargo-build-sbf >/dev/null 2>&1; then
  builder=$(command -v cargo-build-sbf)
  version=$("$builder" --version 2>/dev/null | head -n 1 || true)
  builder_name="cargo build-sbf (Solana platform tools: ${version:-version unknown})"
elif [ -n "${SBF_TOOLCHAIN:-}" ] && [ -x "$SBF_TOOLCHAIN/cargo-build-sbf" ]; then
  builder=$(cd "$SBF_TOOLCHAIN" && pwd)/cargo-build-sbf
  builder_name="replacement $builder (Debian rustc 1.96 / upstream LLVM 22 via sbpf-linker, SBPF v0)"
elif [ -n "${SBF_TOOLCHAIN:-}" ]; then
  echo "build-sbf: SBF_TOOLCHAIN=$SBF_TOOLCHAIN has no executable cargo-build-sbf" >&2; exit 1
else
  echo "build-sbf: no SBF builder: install Solana's platform tools (cargo build-sbf), or set SBF_TOOLCHAIN to a folder with a cargo-build-sbf replacement (here: ../shared/sbf)" >&2
  exit 1
fi
echo "build-sbf: building with $builder_name" >&2

# build TARGET_DIR OUT_DIR: one build; fails on a stack frame over 4 KiB.
build() {
  local target_dir=$1 out_dir=$2 log
  log=$(mktemp)
  mkdir -p "$out_dir"
  if ! CARGO_TARGET_DIR="$target_dir" SBF_TARGET_DIR="$target_dir/sbf-upstream" \
      "$builder" --manifest-path "$manifest" --sbf-out-dir "$out_dir" 2>&1 | tee "$log" >&2; then
    rm -f "$log"; echo "build-sbf: the build failed (see above)" >&2; return 1
  fi
  # cargo build-sbf only warns about frames over 4 KiB ("Stack offset of N exceeded max offset of 4096",
  # "Function ... Stack offset"); such a program corrupts its stack at run time, so it is a failed build here.
  if grep -qiE "stack offset of [0-9]+ exceeded|exceeded max offset|stack size .* exceeds" "$log"; then
    grep -iE "stack offset|exceeded max offset|stack size" "$log" >&2
    rm -f "$log"; echo "build-sbf: a stack frame exceeds 4 KiB: refusing the build" >&2; return 1
  fi
  rm -f "$log"
  [ -s "$out_dir/usd1.so" ] || { echo "build-sbf: $out_dir/usd1.so was not written" >&2; return 1; }
}

if [ "$reproducible" = 1 ]; then
  # Two builds from an emptied target dir at the same path (paths end up in panic locations, so a
  # different folder is a different input; verifiable builds fix the path the same way).
  scratch=$root/target/sbf-reproducible
  hashes=()
  for run in first second; do
    rm -rf "$scratch"
    build "$scratch" "$scratch/deploy-out"
    hashes+=("$(sha256sum < "$scratch/deploy-out/usd1.so" | cut -d' ' -f1)")
    echo "build-sbf: $run clean build ${hashes[-1]}" >&2
  done
  [ "${hashes[0]}" = "${hashes[1]}" ] || { echo "build-sbf: NOT reproducible: two clean builds of the same sources differ" >&2; exit 1; }
  mkdir -p "$out"; cp "$scratch/deploy-out/usd1.so" "$out/usd1.so"
else
  build "$root/target" "$out"
fi

# SPEC 13: the .so carries its security.txt (found by its markers, as explorers and
# solana-verify read it; the replacement linker folds the section into .rodata).
grep -q "=======BEGIN SECURITY.TXT V1=======" "$out/usd1.so" || { echo "build-sbf: the .so has no security.txt" >&2; exit 1; }
(cd "$root" && sha256sum target/deploy/usd1.so | tee target/deploy/usd1.so.sha256)
# The hash to publish: the one `usd1 verify` (and solana-verify) computes from the deployed
# program, whose account pads the ELF with zero bytes: sha256 of the file without its trailing zeros.
program_hash=$(python3 -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read().rstrip(b"\0")).hexdigest())' "$out/usd1.so")
echo "build-sbf: program hash $program_hash (what usd1 verify reports for the deployed program)" >&2
echo "build-sbf: $(stat -c %s "$out/usd1.so") bytes, built with $builder_name" >&2
