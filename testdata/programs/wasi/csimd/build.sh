#!/bin/sh
# Rebuilds the SIMD programs; needs clang-19 and wasi-libc (Debian: clang-19 lld-19
# wasi-libc). autovec.c is plain C that clang vectorizes at -O3 -msimd128 (its output is
# also what the host's gcc build prints); intrinsics.c uses wasm_simd128.h directly.
set -e
cd "$(dirname "$0")"
clang-19 --target=wasm32-wasi -O3 -msimd128 -o autovec.wasm autovec.c
clang-19 --target=wasm32-wasi -O2 -msimd128 -o intrinsics.wasm intrinsics.c
