package rtlib

// rt.wasm is committed so that building and testing wasmc need only Go; regenerating it
// needs clang-19 and wasm-ld-19, and .ci/run checks that it reproduces byte for byte.
//go:generate go run ./_gen
