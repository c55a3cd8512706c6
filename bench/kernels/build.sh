#!/bin/sh
# build.sh regenerates the committed .wasm files from the C kernels beside it.
#
# Needs: clang-19 with the wasm32 target and wasi-libc (Debian: clang-19,
# lld-19, wasi-libc, libclang-rt-19-dev-wasm32). The .wasm files are
# committed so that running the benchmark needs no wasm toolchain; rerun this
# only after editing a kernel.
set -eu
cd "$(dirname "$0")"
CC=${CC:-clang-19}
for c in *.c; do
	"$CC" --target=wasm32-wasi -O2 -Wl,--strip-debug -o "${c%.c}.wasm" "$c"
	# The same with 128-bit SIMD, for bench -simd: clang vectorizes what it can.
	"$CC" --target=wasm32-wasi -O2 -msimd128 -Wl,--strip-debug -o "${c%.c}.simd.wasm" "$c"
	echo "built ${c%.c}.wasm and ${c%.c}.simd.wasm"
done
