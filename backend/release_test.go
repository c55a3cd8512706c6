package backend_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/wasmc/wasmc/amd64"
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/ir"
)

// TestReleaseBeforeAllocation compiles a module with bodies built on demand and checks
// that each body is gone by the time allocation is applied: the machine function is all
// the later stages read, and on a huge function the IR kept through allocation was a
// third of the compiler's peak memory (issue 19). Before, the body lived until encoding.
func TestReleaseBeforeAllocation(t *testing.T) {
	buf, err := os.ReadFile(filepath.Join("..", "testdata", "programs", "echo", "echo.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	wm, err := frontend.Decode(buf)
	if err != nil {
		t.Fatal(err)
	}
	m, err := frontend.LowerLazy(wm)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var kept []string
	dump := func(stage string, f *ir.Func, _ backend.MachineFunc) {
		if stage == "finish" && !f.Lazy() {
			mu.Lock()
			kept = append(kept, f.Name)
			mu.Unlock()
		}
	}
	if _, err := backend.Compile(m, amd64.New(), backend.Config{Dump: dump}); err != nil {
		t.Fatal(err)
	}
	if len(kept) > 0 {
		t.Errorf("%d functions keep their bodies through allocation, such as $%s", len(kept), kept[0])
	}
}
