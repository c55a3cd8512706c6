// Command bench compares the code wasmc generates with native code (gcc), with
// wabt's wasm2c (the .wasm translated to C and compiled by gcc) and with two
// WebAssembly engines, wazero (its optimizing compiler) and Wasmtime
// (Cranelift, through wasmtime-go), on the C kernels in kernels/.
//
// Run it from this directory; it is a separate module so that its
// dependencies never enter wasmc's own go.mod:
//
//	cd bench && go run .
//
// One run builds wasmc from the checkout above (or takes -wasmc), then:
//
//   - builds every kernel with `wasmc build -O2`, again with
//     --bounds-checks=explicit (wasmc-explicit), with `wasmc build -O0`
//     (wasmc-O0), and with `gcc -O2 -static`
//     (static, like wasmc's output), translates its .wasm with wasm2c and
//     compiles that C with wabt's runtime and wasm2c/wasi.c (the WASI imports
//     the kernels use) by `gcc -O2 -static`, and compiles the .wasm with
//     wazero and Wasmtime, reporting each compile time on its own;
//   - runs each runner -n times per kernel and reports the median wall time
//     of one run, with the ratio to native and, per runner, the geometric
//     mean of those ratios. Compilation is never inside a run's time; for
//     executables a run is exec to exit, for the engines it is instantiation
//     plus _start;
//   - checks that every run of every runner prints exactly what the native
//     executable printed (each kernel ends with a checksum line). A
//     difference is shown as MISMATCH in the table, explained under it, and
//     makes the exit status 1, as does any build or run failure;
//   - measures the compilers' own cost on large modules (gobig.wasm, a 6.5
//     MB Go program, and the encoding/json and net/http test binaries, built
//     with GOOS=wasip1 go test -c): wasmc build -O0 and -O2, each with all
//     cores and with GOMAXPROCS=1, wazero and Wasmtime, each compile a
//     process of its own (the engines in a re-executed child of this
//     binary), reporting median wall and CPU time, MB/s and peak RSS;
//   - times the start-up (exec to exit, median of -hello-runs) of hello world
//     built by wasmc and by gcc, static and dynamic, and prints their sizes;
//   - with -gostd only, times Go standard-library test binaries (GOOS=wasip1
//     go test -c, run with -test.short in the package's directory, the host
//     root preopened as /, PWD and PATH set, each run required to print
//     PASS): the wasmc executable exec to exit against Wasmtime and wazero,
//     instantiation plus _start in a fresh child process with the module
//     compiled beforehand, with wasmc's ratio to each and its geomean.
//
// Flags:
//
//	-n N             runs per measurement; the median is reported (default 5)
//	-simd            the WebAssembly runners get the kernels built with -msimd128
//	-kernels LIST    comma-separated kernels to run (default: every
//	                 kernels/*.c except hello); "none" skips the kernel table
//	-runners LIST    comma-separated subset of wasmc, wasmc-explicit,
//	                 wasmc-O0, wasm2c, wazero, wasmtime (default all); the native
//	                 executable always runs, as the reference output
//	-large LIST      large modules whose compile cost to measure (default
//	                 gobig,json,http); "none" skips the table
//	-gostd LIST      standard-library packages whose test binaries to time
//	                 (default none); "all" is the 15 cmd/wasmc's TestGoStdlib runs
//	-wasmc-base PATH a second wasmc whose compile cost the large table
//	                 shows as wasmc(base), for a before/after comparison
//	-hello=false     skip the hello-world start-up and size table
//	-hello-runs N    runs for the start-up median (default 50)
//	-wasmc PATH      use this wasmc executable instead of building one
//	-src DIR         wasmc checkout to build wasmc from (default "..")
//	-cc CC           C compiler for the native builds and wasm2c's output
//	                 (default "gcc")
//	-keep            keep the work directory with every built executable
//
// A quick run: go run . -n 1 -kernels nbody,sha256 -runners wasmc -large none
//
// Go's tests against Wasmtime: go run . -n 1 -kernels none -hello=false -large none -gostd all
//
// The kernels' .wasm files are committed; kernels/build.sh regenerates them
// with clang-19 and wasi-libc. wasm2c comes from wabt (apt-get install wabt),
// needed by the wasm2c runner only: without it that runner fails, alone.
package main
