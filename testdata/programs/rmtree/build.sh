#!/bin/sh
# Rebuilds rmtree.wasm; needs clang-19 and wasi-libc (Debian: clang-19 lld-19 wasi-libc).
set -e
cd "$(dirname "$0")"
clang-19 --target=wasm32-wasi -O2 -o rmtree.wasm rmtree.c
