package backend

import (
	"runtime/debug"
	"testing"

	"github.com/wasmc/wasmc/ir"
)

// sizedSource is a body source that only knows its code's size.
type sizedSource struct {
	ir.BodySource
	size int
}

func (s sizedSource) CodeSize() int { return s.size }

// TestHugePolicy checks which functions get the huge-function memory policy, and that
// the collector's growth target is lowered while any of them compiles and restored when
// the last is done.
func TestHugePolicy(t *testing.T) {
	for _, c := range []struct {
		f    *ir.Func
		huge bool
	}{
		{&ir.Func{Source: sizedSource{size: hugeCode}}, true},
		{&ir.Func{Source: sizedSource{size: hugeCode - 1}}, false},
		{&ir.Func{Instrs: make([]ir.Instr, hugeBody)}, true},
		{&ir.Func{Instrs: make([]ir.Instr, 10)}, false},
	} {
		if got := isHuge(c.f); got != c.huge {
			t.Errorf("isHuge(source %d bytes, %d slots) = %v, want %v", c.f.SourceSize(), len(c.f.Instrs), got, c.huge)
		}
	}
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	done1 := tightenGC(true)
	done2 := tightenGC(true)
	tightenGC(false)()
	if p := debug.SetGCPercent(-1); p != hugeGCPercent {
		t.Errorf("GOGC %d while huge functions compile, want %d", p, hugeGCPercent)
	}
	debug.SetGCPercent(hugeGCPercent)
	done1()
	if p := debug.SetGCPercent(hugeGCPercent); p != hugeGCPercent {
		t.Errorf("GOGC %d while one huge function still compiles, want %d", p, hugeGCPercent)
	}
	done2()
	if p := debug.SetGCPercent(100); p != 100 {
		t.Errorf("GOGC %d after the last huge function, want 100 restored", p)
	}
}
