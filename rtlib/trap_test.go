package rtlib_test

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
)

// runTrap calls wasmc_trap(code, pc, 0) and returns what it wrote to stderr; it must exit 134.
func runTrap(t *testing.T, inst *ir.Instance, h *host, code ir.TrapCode, pc uint64) string {
	t.Helper()
	return runTrapFP(t, inst, h, code, pc, 0)
}

// runTrapFP is runTrap with the frame pointer fp.
func runTrapFP(t *testing.T, inst *ir.Instance, h *host, code ir.TrapCode, pc, fp uint64) string {
	t.Helper()
	h.stderr = nil
	_, err := inst.Invoke("wasmc_trap", []ir.Val{ir.I32Val(int32(code)), ir.I64Val(int64(pc)), ir.I64Val(int64(fp))})
	var exit *exitError
	if !errors.As(err, &exit) || exit.status != 134 {
		t.Errorf("wasmc_trap(%d, 0x%x) ended with %v, want exit 134", code, pc, err)
	}
	return string(h.stderr)
}

// TestTrapMessages runs wasmc_trap for every ir.TrapCode, and one past them, and checks
// the C message table against ir's.
func TestTrapMessages(t *testing.T) {
	inst, h := newRuntime(t)
	for c := ir.TrapNone; ; c++ {
		want := "wasm trap: " + c.Message() + "\n"
		if got := runTrap(t, inst, h, c, 0); got != want {
			t.Errorf("trap %d: wrote %q, want %q", c, got, want)
		}
		if strings.HasPrefix(c.String(), "trap(") { // the first code ir does not know
			break
		}
	}
}

func TestTrapLocation(t *testing.T) {
	inst, h := newRuntime(t)
	long := strings.Repeat("x", 700) // longer than the C side's buffer
	h.funcs(0x2000, 0x4300, []string{"main", "fib", long}, []uint64{0x4000, 0x4100, 0x4200})
	for _, tc := range []struct {
		pc   uint64
		want string
	}{
		// pc is a return address: the call that trapped ends there, so it belongs to the
		// function holding pc-1, and a call ending a function's code is still that function's.
		{0x411c, "\n  at $fib+0x1c"},
		{0x4001, "\n  at $main+0x1"},
		{0x4100, "\n  at $main+0x100"},
		{0x4101, "\n  at $fib+0x1"},
		{0x42ab, "\n  at $" + long + "+0xab"},
		{0x4300, "\n  at $" + long + "+0x100"}, // a call that ends the last function
		{0x4301, ""},                           // past the end of the code
		{0x4000, ""},                           // before the first function
		{0, ""},
	} {
		want := "wasm trap: integer divide by zero" + tc.want + "\n"
		if got := runTrap(t, inst, h, ir.TrapIntDivideByZero, tc.pc); got != want {
			t.Errorf("pc 0x%x: wrote %q, want %q", tc.pc, got, want)
		}
	}
}

// TestTrapBacktrace walks frame records {caller's frame pointer, return address} laid out
// in host memory as a stack: innermost first, each caller at its return address; the walk
// ends at a return address outside the code, at a frame pointer that does not climb, and
// after 32 frames counts the rest.
func TestTrapBacktrace(t *testing.T) {
	inst, h := newRuntime(t)
	h.funcs(0x2000, 0x4300, []string{"main", "fib", "leaf"}, []uint64{0x4000, 0x4100, 0x4200})
	const base = 0x10000
	stack := h.mapRegion(base, 1<<20)
	// record writes the frame record at fp: the next frame pointer and a return address.
	record := func(fp, next, ret uint64) {
		binary.LittleEndian.PutUint64(stack[fp-base:], next)
		binary.LittleEndian.PutUint64(stack[fp-base+8:], ret)
	}
	record(base+0x100, base+0x200, 0x4150) // leaf's record: called from fib
	record(base+0x200, base+0x300, 0x4010) // fib's: called from main
	record(base+0x300, 0, 0x1000)          // main's: called from entry, outside the code
	want := "wasm trap: unreachable\n  at $leaf+0x8\n  at $fib+0x50\n  at $main+0x10\n"
	if got := runTrapFP(t, inst, h, ir.TrapUnreachable, 0x4208, base+0x100); got != want {
		t.Errorf("three frames: wrote %q, want %q", got, want)
	}
	// A frame pointer that does not climb ends the walk after its frame.
	record(base+0x400, base+0x400, 0x4010)
	want = "wasm trap: unreachable\n  at $leaf+0x8\n  at $main+0x10\n"
	if got := runTrapFP(t, inst, h, ir.TrapUnreachable, 0x4208, base+0x400); got != want {
		t.Errorf("a loop: wrote %q, want %q", got, want)
	}
	// A recursion 100 deep shows 32 frames and counts the other 69.
	for i := uint64(0); i < 100; i++ {
		next := base + 0x1000 + 16*(i+1)
		if i == 99 {
			next = 0
		}
		record(base+0x1000+16*i, next, 0x4120)
	}
	got := runTrapFP(t, inst, h, ir.TrapStackExhausted, 0x4104, base+0x1000)
	if n := strings.Count(got, "\n  at $fib+0x"); n != 32 || !strings.HasSuffix(got, "\n  ... 69 more frames\n") {
		t.Errorf("deep recursion: %d frames shown, report ends %q", n, got[max(0, len(got)-40):])
	}
}
