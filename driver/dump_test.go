package driver_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/internal/targets"
	"github.com/wasmc/wasmc/internal/targettest"
)

// TestDumpDeterministic dumps every phase of every function, the runtime's included, on one
// worker and on four, for each target: the text is the same, because each stage's text is
// written out in function order once the stage is over.
func TestDumpDeterministic(t *testing.T) {
	targettest.EachISA(t, func(t *testing.T, _ targets.Target, isa backend.ISA) { testDumpDeterministic(t, isa) })
}

func testDumpDeterministic(t *testing.T, isa backend.ISA) {
	path := filepath.Join("..", "testdata", "fac.wat")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dump := func(procs int) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		var buf bytes.Buffer
		o := options(isa, 2)
		o.Dump = &driver.Dump{Phases: []string{"all"}, W: &buf}
		build(t, path, data, o)
		return buf.String()
	}
	one, four := dump(1), dump(4)
	if one != four {
		t.Error("the dump differs between one worker and four")
	}
	for _, phase := range driver.DumpPhases(2) {
		if !strings.Contains(one, "; $fac_rec after "+phase+"\n") {
			t.Errorf("no %s dump of $fac_rec", phase)
		}
	}
}
