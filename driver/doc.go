// Package driver is wasmc's compiler as a library: [Build] turns modules and [Options] into
// an executable's bytes through load → lower → link with the runtime → passes → select →
// allocate → encode → link → write, all of it on one screen in build.go, the way QBE's
// func() and Go's ssa/compile.go show their pipelines.
//
// The package owns what ties the stages to each other and to the runtime (rtlib's rt.wasm,
// DESIGN.md decision 6): which runtime exports a program keeps and how the runtime routines
// bind to them ([backend.RuntimeRoutine.Export]), what process entry calls, the function
// --invoke generates, --trap-unknown-imports, and the step functions of a .wast script's
// executable (decision 11, [Script]).
//
// It is handed a [backend.ISA] in [Options] and never names one: only the CLI's table of
// targets (internal/targets) maps linux/amd64 to amd64.New(), as Go's cmd/compile maps
// GOARCH to an arch package. What tests once toggled through package variables — IR verification,
// allocation checks, dumps, timings — travels in Options, so builds with different
// settings can run at once.
//
// It imports frontend (with frontend/wat, to read the text format), rtlib, ir and backend.
package driver
