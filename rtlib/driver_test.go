package rtlib_test

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/rtlib"
)

// driverStep is one call of a driver-reporting routine; value is its argument.
type driverStep struct {
	name  string
	value int64
}

func value(v uint64) driverStep     { return driverStep{"wasmc_driver_value", int64(v)} }
func trapped(code int32) driverStep { return driverStep{"wasmc_driver_trap", int64(code)} }

var done = driverStep{name: "wasmc_driver_done"}

func runDriver(t *testing.T, inst *ir.Instance, steps ...driverStep) {
	t.Helper()
	for _, s := range steps {
		var args []ir.Val
		switch s.name {
		case "wasmc_driver_value":
			args = []ir.Val{ir.I64Val(s.value)}
		case "wasmc_driver_trap":
			args = []ir.Val{ir.I32Val(int32(s.value))}
		}
		if _, err := inst.Invoke(s.name, args); err != nil {
			t.Fatalf("%s(%v): %v", s.name, args, err)
		}
	}
}

// TestDriverLines checks the lines the .wast driver's reports write to stdout, and that
// each goes out in exactly one write.
func TestDriverLines(t *testing.T) {
	inst, h := newRuntime(t)
	for _, tc := range []struct {
		steps []driverStep
		want  []string // one entry per write
	}{
		{[]driverStep{value(0), value(0x2a), value(1<<64 - 1), done}, []string{"ok 0 2a ffffffffffffffff\n"}},
		{[]driverStep{done}, []string{"ok\n"}},
		{[]driverStep{value(1 << 63), value(0x10), value(0xdeadbeef), done}, []string{"ok 8000000000000000 10 deadbeef\n"}},
		{[]driverStep{trapped(10)}, []string{"trap 10\n"}},
		{[]driverStep{trapped(0), trapped(123456)}, []string{"trap 0\n", "trap 123456\n"}},
		// A trap drops the pending results, and the next line starts afresh.
		{[]driverStep{value(1), value(2), trapped(5), done}, []string{"trap 5\n", "ok\n"}},
		{[]driverStep{value(7), done, value(8), done}, []string{"ok 7\n", "ok 8\n"}},
	} {
		h.stdout = nil
		runDriver(t, inst, tc.steps...)
		got := make([]string, len(h.stdout))
		for i, w := range h.stdout {
			got[i] = string(w)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%v: wrote %q, want %q", tc.steps, got, tc.want)
		}
	}
	if len(h.stderr) != 0 {
		t.Errorf("the driver wrote %q to stderr", h.stderr)
	}
}

// TestDriverLongLine checks a line longer than the runtime's buffer: it goes out in
// several writes that together are the whole line, none past the buffer, and the state
// is clean afterwards.
func TestDriverLongLine(t *testing.T) {
	inst, h := newRuntime(t)
	var steps []driverStep
	want := "ok"
	for i := range 600 {
		v := uint64(1<<64-1) - uint64(i)
		steps = append(steps, value(v))
		want += " " + strconv.FormatUint(v, 16)
	}
	runDriver(t, inst, append(steps, done)...)
	if got := string(bytes.Join(h.stdout, nil)); got != want+"\n" {
		t.Errorf("a 600-value line came out as %d bytes, want %d", len(got), len(want)+1)
	}
	if len(h.stdout) < 2 {
		t.Errorf("a %d-byte line went out in %d write", len(want)+1, len(h.stdout))
	}
	for i, w := range h.stdout {
		if len(w) > 4096 || (i < len(h.stdout)-1) == bytes.HasSuffix(w, []byte("\n")) {
			t.Errorf("write %d of %d has %d bytes and ends in %q", i, len(h.stdout), len(w), w[len(w)-1])
		}
	}

	// A trap after part of the line went out ends that line, so that the next command's
	// line is still its own.
	h.stdout = nil
	runDriver(t, inst, append(steps, trapped(5), value(3), done)...)
	n := len(h.stdout)
	if n < 3 {
		t.Fatalf("a trap after a long line: %d writes, want the line's start, the trap, the next line", n)
	}
	start := string(bytes.Join(h.stdout[:n-2], nil))
	if !strings.HasPrefix(want, start) || string(h.stdout[n-2]) != " trap 5\n" || string(h.stdout[n-1]) != "ok 3\n" {
		t.Errorf("a trap after a long line: wrote %d bytes of it (a prefix: %v), then %q, %q; want \" trap 5\\n\", \"ok 3\\n\"",
			len(start), strings.HasPrefix(want, start), h.stdout[n-2], h.stdout[n-1])
	}
}

// TestDriverLineBoundary ends lines at every length around the buffer's size, 4096 bytes
// (a first value of each width, then full-width ones): each line must come out whole,
// and every write must stay inside the buffer, whose start the first write shows.
func TestDriverLineBoundary(t *testing.T) {
	inst, h := newRuntime(t)
	for digits := 1; digits <= 16; digits++ {
		for full := 236; full <= 241; full++ {
			h.stdout, h.calls = nil, nil
			first := uint64(1)<<(4*digits) - 1
			steps := []driverStep{value(first)}
			want := "ok " + strconv.FormatUint(first, 16)
			for i := range full {
				v := uint64(1<<64-1) - uint64(i)
				steps = append(steps, value(v))
				want += " " + strconv.FormatUint(v, 16)
			}
			runDriver(t, inst, append(steps, done)...)
			if got := string(bytes.Join(h.stdout, nil)); got != want+"\n" {
				t.Errorf("%d-digit value and %d more: the line came out as %d bytes, want %d", digits, full, len(got), len(want)+1)
			}
			buf := h.calls[0].args[1]
			for _, c := range h.calls {
				if c.nr != rtlib.SysWrite || c.args[1] < buf || c.args[1]+c.args[2] > buf+4096 {
					t.Errorf("%d-digit value and %d more: %v is not a write inside the buffer at %#x", digits, full, c, buf)
				}
			}
		}
	}
}

// TestDriverShortWrites makes stdout take 3 bytes at a time: the line must still arrive
// whole.
func TestDriverShortWrites(t *testing.T) {
	inst, h := newRuntime(t)
	h.writeMax = 3
	runDriver(t, inst, value(0x123456789), value(0), done, trapped(11))
	if got := string(bytes.Join(h.stdout, nil)); got != "ok 123456789 0\ntrap 11\n" {
		t.Errorf("with short writes, wrote %q", got)
	}
}

func TestDriverExit(t *testing.T) {
	inst, h := newRuntime(t)
	_, err := inst.Invoke("wasmc_driver_exit", nil)
	var exit *exitError
	if !errors.As(err, &exit) || exit.status != 0 {
		t.Errorf("wasmc_driver_exit ended with %v, want exit 0", err)
	}
	if want := (sysCall{nr: rtlib.SysExitGroup}); len(h.calls) != 1 || h.calls[0] != want {
		t.Errorf("wasmc_driver_exit made syscalls %v, want only %v", h.calls, want)
	}
}
