#!/bin/sh
# Rebuilds the Rust SIMD program; needs Debian's rustc with the wasm32 standard library and
# lld (apt-get install rustc libstd-rust-dev-wasm32 lld-14): not the rustc of rustup.
set -e
cd "$(dirname "$0")"
/usr/bin/rustc --edition 2021 -O --target wasm32-wasi -C linker=wasm-ld-14 \
	-C target-feature=+simd128 -C strip=debuginfo -o simd.wasm simd.rs
