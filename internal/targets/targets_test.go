package targets_test

import (
	"strings"
	"testing"

	"github.com/wasmc/wasmc/internal/targets"
)

// TestTable: names are unique and found by Lookup; a ready target's ISA is of the target's
// architecture (so the table cannot hand linux/arm64 the amd64 package); a target that is
// not ready says so, in the words the tests skip with.
func TestTable(t *testing.T) {
	seen := map[string]bool{}
	for _, tg := range targets.All() {
		if seen[tg.Name] || tg.Name != tg.Target.String() {
			t.Errorf("%s: duplicate, or not its OS/ARCH %s", tg.Name, tg.Target)
		}
		seen[tg.Name] = true
		got, err := targets.Lookup(tg.Name)
		if err != nil || got.Name != tg.Name || got.Ready() != tg.Ready() {
			t.Errorf("Lookup(%s): %+v, %v", tg.Name, got, err)
		}
		isa, err := tg.ISA()
		switch {
		case tg.Ready() && (err != nil || isa.Arch() != tg.Arch):
			t.Errorf("%s: ISA %v, %v; want one for %v", tg.Name, isa, err, tg.Arch)
		case !tg.Ready() && (err == nil || err.Error() != tg.Name+" code generation is not implemented yet"):
			t.Errorf("%s: not ready, but ISA() says %v", tg.Name, err)
		}
	}
	if !seen["linux/amd64"] || !seen["linux/arm64"] {
		t.Errorf("the table lacks a Linux target: %v", seen)
	}
	if _, err := targets.Lookup("plan9/mips"); err == nil || !strings.Contains(err.Error(), "linux/arm64") {
		t.Errorf("Lookup(plan9/mips): %v; want an error listing the known targets", err)
	}
}

// TestExperimental: an experimental target (darwin/amd64) is not ready, so that no
// target-iterating test runs it, but ExperimentalISA hands out its ISA, of its
// architecture; a ready target's ExperimentalISA is its ISA, and one that is neither
// has none.
func TestExperimental(t *testing.T) {
	states := map[string]string{}
	for _, tg := range targets.All() {
		states[tg.Name] = tg.State()
		isa, err := tg.ExperimentalISA()
		switch {
		case tg.Experimental() && (tg.Ready() || err != nil || isa.Arch() != tg.Arch):
			t.Errorf("%s: experimental, ready %v, ExperimentalISA %v, %v", tg.Name, tg.Ready(), isa, err)
		case tg.Ready() && (err != nil || isa.Arch() != tg.Arch):
			t.Errorf("%s: ready, but ExperimentalISA %v, %v", tg.Name, isa, err)
		case !tg.Ready() && !tg.Experimental() && err == nil:
			t.Errorf("%s: neither ready nor experimental, but ExperimentalISA gives one", tg.Name)
		}
	}
	want := map[string]string{"linux/amd64": "ready", "linux/arm64": "ready", "darwin/amd64": "experimental", "darwin/arm64": "experimental"}
	for name, s := range want {
		if states[name] != s {
			t.Errorf("%s: state %q, want %q", name, states[name], s)
		}
	}
}
