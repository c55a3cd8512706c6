package arm64

import (
	"strings"
	"sync"
	"testing"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/internal/isatest"
	"github.com/wasmc/wasmc/regalloc"
)

func TestRegConfig(t *testing.T) {
	cfg := New().RegConfig()
	for c, rs := range cfg.Regs {
		for _, r := range rs {
			switch Reg(r) {
			case SP, XZR, FP, LR, X18, scratch, scratch2, scratchV:
				t.Errorf("class %d allocates %v", c, Reg(r))
			}
			if Reg(r).IsV() != (regalloc.Class(c) == regalloc.ClassFloat) {
				t.Errorf("%v in class %d", Reg(r), c)
			}
		}
	}
	for _, r := range calleeSaved {
		if !cfg.CalleeSaved.Has(preg(r)) || callClobbers.Has(preg(r)) {
			t.Errorf("%v: callee-saved %v, clobbered by calls %v", r, cfg.CalleeSaved.Has(preg(r)), callClobbers.Has(preg(r)))
		}
	}
	if cfg.RegName(preg(X12)) != "x12" || cfg.RegName(preg(V3)) != "v3" {
		t.Errorf("register names %q, %q", cfg.RegName(preg(X12)), cfg.RegName(preg(V3)))
	}
	if New().Arch() != backend.ArchARM64 {
		t.Errorf("Arch() = %v", New().Arch())
	}
}

// TestSelectErrors: what the backend cannot compile is an error, not a panic.
func TestSelectErrors(t *testing.T) {
	m := parseModule(t, `import func $imp(i32) from "env" "f"
`)
	if mf, err := New().Select(m.Funcs[0], testEnv(m)); err == nil || !strings.Contains(err.Error(), "imported") || mf != nil {
		t.Errorf("Select $imp: %v, %v; want an error about an import", mf, err)
	}
}

// TestParallel compiles the functions of one module concurrently, as the driver does; run
// with -race it shows that selection, allocation and encoding share no mutable state.
func TestParallel(t *testing.T) {
	m := parseModule(t, isatest.RandomProgram(3)+isatest.CallsSrc)
	env := testEnv(m)
	isa := New()
	var wg sync.WaitGroup
	for _, f := range m.Funcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mf, err := isa.Select(f, env)
			if err != nil {
				t.Error(err)
				return
			}
			res, err := regalloc.Run(mf, isa.RegConfig())
			if err == nil {
				err = mf.Finish(res)
			}
			if err == nil {
				_, err = mf.Encode()
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}
