// Package targets is wasmc's table of targets: the one place that maps a target's name
// (linux/amd64) to its ISA package (amd64.New), as Go's cmd/compile maps GOARCH to an arch
// package. The driver is handed a backend.ISA and never names one; the CLI's --target and
// every test that builds or runs executables look targets up here, so marking a target
// ready (giving it an ISA) is one line, and from then on the tests that run executables
// run for it too (internal/targettest) instead of skipping.
//
// Between the two a target may be experimental: its code generation exists but is
// incomplete (darwin/amd64 and darwin/arm64: their executables have run only through a
// test loader, never on a Mac).
// ISA and Ready still say no, so no target-iterating test runs it; ExperimentalISA hands
// out its ISA to the CLI, which builds for it with a warning on stderr, and to the tests
// written for it.
//
// It imports backend and the ISA packages, and nothing else of ours; only this package
// may import an ISA package (driver/imports_test.go).
package targets
