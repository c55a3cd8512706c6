#!/bin/sh
# Rebuilds the Rust program; needs Debian's rustc 1.63 with the wasm32-wasi std
# (Debian: rustc libstd-rust-dev-wasm32 wasi-libc lld-14). /usr/bin/rustc on
# purpose: a rustup rustc on PATH may lack the wasm32-wasi std.
# strip=debuginfo drops the prebuilt std's DWARF (6 MB) and keeps the name section.
set -e
cd "$(dirname "$0")"
/usr/bin/rustc --edition 2021 -O --target wasm32-wasi -C linker=wasm-ld-14 -C strip=debuginfo -o main.wasm main.rs
