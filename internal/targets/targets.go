package targets

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/wasmc/wasmc/amd64"
	"github.com/wasmc/wasmc/arm64"
	"github.com/wasmc/wasmc/backend"
)

// table lists the targets wasmc builds for, in `wasmc targets` order. A nil ISA
// constructor marks a target whose code generation is not implemented yet; marking one
// ready is replacing nil with its package's New. An experimental constructor marks one
// whose code generation exists but is incomplete: only [Target.ExperimentalISA] hands
// it out, so that the tests that iterate over ready targets leave it alone.
var table = []Target{
	{"linux/amd64", backend.Target{OS: backend.OSLinux, Arch: backend.ArchAMD64}, amd64.New, nil},
	{"linux/arm64", backend.Target{OS: backend.OSLinux, Arch: backend.ArchARM64}, arm64.New, nil},
	// Experimental (issue 18): their executables have run through internal/machorun's
	// loader only (darwin/arm64's under qemu), never on a Mac.
	{"darwin/arm64", backend.Target{OS: backend.OSDarwin, Arch: backend.ArchARM64}, nil, arm64.New},
	{"darwin/amd64", backend.Target{OS: backend.OSDarwin, Arch: backend.ArchAMD64}, nil, amd64.New},
}

// Target is one OS/ARCH pair wasmc knows.
type Target struct {
	Name string // "linux/arm64", as --target spells it
	backend.Target
	newISA          func() backend.ISA // nil while code generation is not implemented
	newExperimental func() backend.ISA // code generation that is incomplete, or nil
}

// All returns every target, ready or not, in `wasmc targets` order.
func All() []Target { return append([]Target(nil), table...) }

// Lookup returns the target named name, ready or not; the error lists the known names.
func Lookup(name string) (Target, error) {
	var names []string
	for _, t := range table {
		if t.Name == name {
			return t, nil
		}
		names = append(names, t.Name)
	}
	return Target{}, fmt.Errorf("unknown target %q (known: %s)", name, strings.Join(names, ", "))
}

// Ready reports whether wasmc generates code for t.
func (t Target) Ready() bool { return t.newISA != nil }

// ISA returns a new instance of t's ISA, or an error saying that t's code generation is
// not implemented yet. It is the one test of readiness: the CLI refuses such a target
// with it, and tests skip with its message, so the moment a target is ready its tests
// run.
func (t Target) ISA() (backend.ISA, error) {
	if t.newISA == nil {
		return nil, &NotReadyError{t.Name}
	}
	return t.newISA(), nil
}

// Experimental reports whether t's code generation exists but is incomplete: the CLI
// builds for it with a warning, and only the tests written for it run it.
func (t Target) Experimental() bool { return t.newISA == nil && t.newExperimental != nil }

// ExperimentalISA is [Target.ISA], which it returns for a ready target, and also hands
// out an experimental target's ISA.
func (t Target) ExperimentalISA() (backend.ISA, error) {
	if t.Experimental() {
		return t.newExperimental(), nil
	}
	return t.ISA()
}

// State is what `wasmc targets` says of t: "ready", "experimental" or "not implemented
// yet".
func (t Target) State() string {
	switch {
	case t.Ready():
		return "ready"
	case t.Experimental():
		return "experimental"
	}
	return "not implemented yet"
}

// NotReadyError says that a target's code generation is not implemented yet.
type NotReadyError struct{ Target string }

func (e *NotReadyError) Error() string {
	return e.Target + " code generation is not implemented yet"
}

// Host returns the name of the target wasmc runs on, "GOOS/GOARCH" of this process, which
// `wasmc build` uses when --target is not given. It need not be in the table.
func Host() string { return runtime.GOOS + "/" + runtime.GOARCH }
