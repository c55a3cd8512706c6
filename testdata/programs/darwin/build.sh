#!/bin/sh
# Rebuilds the programs; needs clang-19 and wasi-libc (Debian: clang-19 lld-19 wasi-libc).
set -e
cd "$(dirname "$0")"
for p in *.c; do
	clang-19 --target=wasm32-wasi -O2 -Wl,--strip-debug -o "${p%.c}.wasm" "$p"
done
