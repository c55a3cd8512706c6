// Package wast runs .wast scripts, the format of the official WebAssembly spec test suite:
// it plans a script's commands, executes them, and judges each against the script's
// expectation. A failed assertion is a result, not an error: [Run] returns a [Tally]
// ("N passed, N failed, N skipped"), and a skip is never counted as a pass.
//
// Three levels share one planner and one judge ([Mode]). Validate only decodes and
// validates; Interp executes in the IR interpreter (ir.Instance); Native builds the whole
// script into one executable with driver.Build (DESIGN.md decision 11) and runs it once,
// natively or, for another architecture, under qemu (internal/runexe).
// Both executors report, for each command, the values it produced or the error it met (a
// trap, a link error, a module that did not instantiate), and one function, judge,
// compares that with the script: the trap-message rule and the bit-for-bit result
// matching, NaN classes included, exist once (judge.go), as Cranelift's runtests use one
// assertion for interpreter and native code.
//
// It imports driver, frontend, frontend/wat, ir and internal/runexe; the CLI's wast
// command only parses flags and prints.
package wast
