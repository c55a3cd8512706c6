#!/bin/sh
# Rebuilds the Go program; needs Go 1.26 (GOOS=wasip1 GOARCH=wasm, standard library only).
set -e
cd "$(dirname "$0")" && GOOS=wasip1 GOARCH=wasm go build -trimpath -o main.wasm .
