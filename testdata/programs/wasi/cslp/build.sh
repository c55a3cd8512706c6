#!/bin/sh
# Rebuilds slp.wasm; needs clang-19 and wasi-libc (Debian: clang-19 lld-19 wasi-libc).
# Plain -O2 without -msimd128: clang unrolls the loops but leaves them scalar, the shape
# wasmc's SLP pass packs into vector operations.
set -e
cd "$(dirname "$0")"
clang-19 --target=wasm32-wasi -O2 -o slp.wasm slp.c
