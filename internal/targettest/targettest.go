// Package targettest runs a test once for each Linux target of wasmc's table
// (internal/targets), building with the target's ISA and running the executables through
// internal/runexe: natively, or under qemu on a host of another architecture.
//
// What a test does for a target follows from the table and this host, never from a list
// of its own:
//   - a target that is not ready skips, with the table's reason ("linux/arm64 code
//     generation is not implemented yet"); the moment the table gives it an ISA, its
//     variants run;
//   - a ready target whose executables need an emulator this host lacks skips with the
//     reason, except under CI=true, where a missing tool fails the run (STYLE.md §2.6), so
//     CI can never pass by skipping a ready target.
//
// It imports testing, internal/targets, internal/runexe and backend.
package targettest

import (
	"os"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/internal/runexe"
	"github.com/wasmc/wasmc/internal/targets"
)

// Linux returns the Linux targets of the table, ready or not, in table order: the targets
// whose executables this package can run (darwin's need the test loader of DESIGN.md
// decision 15).
func Linux() []targets.Target {
	var ts []targets.Target
	for _, t := range targets.All() {
		if t.OS == backend.OSLinux {
			ts = append(ts, t)
		}
	}
	return ts
}

// Exec is what a test needs to build a target's executables and run them here.
type Exec struct {
	targets.Target
	ISA    backend.ISA
	Runner *runexe.Runner
}

// Emulated reports whether the target's executables run under an emulator, several times
// slower than natively: tests that run for minutes pick a subset then.
func (x Exec) Emulated() bool { return x.Runner.Emulator != "" }

// Each runs f as a subtest named after each Linux target ("linux/arm64"), with what [Need]
// returns; a target that cannot run here skips (or fails) as Need says.
func Each(t *testing.T, f func(t *testing.T, x Exec)) {
	t.Helper()
	for _, tg := range Linux() {
		t.Run(tg.Name, func(t *testing.T) {
			f(t, Need(t, tg))
		})
	}
}

// EachISA runs f as a subtest named after each Linux target, with its ISA, for tests that
// build executables without running them; a target that is not ready skips with the
// table's reason.
func EachISA(t *testing.T, f func(t *testing.T, tg targets.Target, isa backend.ISA)) {
	t.Helper()
	for _, tg := range Linux() {
		t.Run(tg.Name, func(t *testing.T) {
			f(t, tg, NeedISA(t, tg))
		})
	}
}

// Need returns the ISA and the runner of tg's executables, or ends the test: it skips a
// target that is not ready with the table's reason, and one whose executables need a
// missing emulator as [Missing] does.
func Need(t testing.TB, tg targets.Target) Exec {
	t.Helper()
	isa := NeedISA(t, tg)
	r, err := runexe.For(tg.Arch.String())
	if err != nil {
		Missing(t, err)
	}
	return Exec{Target: tg, ISA: isa, Runner: r}
}

// NeedISA returns tg's ISA, for a test that builds without running, or skips the test with
// the table's reason when the target is not ready.
func NeedISA(t testing.TB, tg targets.Target) backend.ISA {
	t.Helper()
	isa, err := tg.ISA()
	if err != nil {
		t.Skip(err)
	}
	return isa
}

// Missing ends a test that cannot run because something it needs is missing (an
// emulator, a tool): it skips with err as the reason, except under CI=true, where it
// fails, since CI installs everything the tests need (.ci/run).
func Missing(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("under CI=true nothing the tests need may be missing: %v", err)
	}
	t.Skip(err)
}
