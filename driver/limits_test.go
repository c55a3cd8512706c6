package driver_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/internal/targettest"
)

// TestBuildLimits runs modules against the memory and table limits (Options.MaxMemory,
// MaxTableElems): a declared minimum over a limit fails instantiation with a trap naming
// the flag, growth past one returns -1, and tables count together, at instantiation
// (a module's) and as they grow (the program's). Before
// the limits, a table of 2^24+1 elements failed the build with an internal error, and 20
// tables of 600,000 elements each instantiated (issue 19, finding 8: filled, 20 tables
// of 16 M took 2.6 GB).
func TestBuildLimits(t *testing.T) {
	tables := func(n, size int) string {
		return strings.Repeat(" (table "+strconv.Itoa(size)+" funcref)", n)
	}
	const tableTrap = `^wasm trap: tables larger than --max-table-elements allows\n`
	const memoryTrap = `^wasm trap: memory larger than --max-memory allows\n`
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		for _, tc := range []struct {
			name             string
			wat              string
			memory, elements uint64
			status           int
			stderr           string
		}{
			{"a table over the default", `(module (table 16777217 funcref) (func (export "_start")))`, 0, 0, 134, tableTrap},
			{"tables together over the default", `(module` + tables(20, 600_000) + ` (func (export "_start")))`, 0, 0, 134, tableTrap},
			{"tables within the default", `(module` + tables(20, 400_000) + ` (func (export "_start")))`, 0, 0, 0, `^$`},
			{"a table over the limit", `(module (table 101 funcref) (func (export "_start")))`, 0, 100, 134, tableTrap},
			{"table.grow to the limit", `(module (table 1 funcref) (func (export "_start")
				(if (i32.ne (table.grow (ref.null func) (i32.const 100)) (i32.const -1)) (then unreachable))
				(if (i32.ne (table.grow (ref.null func) (i32.const 99)) (i32.const 1)) (then unreachable))
				(if (i32.ne (table.grow (ref.null func) (i32.const 1)) (i32.const -1)) (then unreachable))))`, 0, 100, 0, `^$`},
			{"tables growing together to the limit", `(module (table $a 10 funcref) (table $b 10 funcref) (func (export "_start")
				(if (i32.ne (table.grow $a (ref.null func) (i32.const 50)) (i32.const 10)) (then unreachable))
				(if (i32.ne (table.grow $b (ref.null func) (i32.const 31)) (i32.const -1)) (then unreachable))
				(if (i32.ne (table.grow $b (ref.null func) (i32.const 30)) (i32.const 10)) (then unreachable))
				(if (i32.ne (table.grow $a (ref.null func) (i32.const 1)) (i32.const -1)) (then unreachable))))`, 0, 100, 0, `^$`},
			{"a memory over the limit", `(module (memory 17) (func (export "_start")))`, 1 << 20, 0, 134, memoryTrap},
			{"memory.grow to the limit", `(module (memory 1) (func (export "_start")
				(if (i32.ne (memory.grow (i32.const 16)) (i32.const -1)) (then unreachable))
				(if (i32.ne (memory.grow (i32.const 15)) (i32.const 1)) (then unreachable))
				(i32.store (i32.const 1048572) (i32.const 7))
				(if (i32.ne (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))))`, 1 << 20, 0, 0, `^$`},
		} {
			o := options(x.ISA, 0)
			o.MaxMemory, o.MaxTableElems = tc.memory, tc.elements
			stderr, status := runExe(t, x.Runner, build(t, "m.wat", []byte(tc.wat), o))
			if status != tc.status || !regexp.MustCompile(tc.stderr).MatchString(stderr) {
				t.Errorf("%s: status %d, stderr %q; want %d, %q", tc.name, status, stderr, tc.status, tc.stderr)
			}
		}
	})
}
