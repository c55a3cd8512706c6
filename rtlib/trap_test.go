package rtlib_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
)

// runTrap calls wasmc_trap(code, pc) and returns what it wrote to stderr; it must exit 134.
func runTrap(t *testing.T, inst *ir.Instance, h *host, code ir.TrapCode, pc uint64) string {
	t.Helper()
	h.stderr = nil
	_, err := inst.Invoke("wasmc_trap", []ir.Val{ir.I32Val(int32(code)), ir.I64Val(int64(pc))})
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
