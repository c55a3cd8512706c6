package driver

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/rtlib"
)

// The resource limits (Options.MaxMemory, Options.MaxTableElems) are the linker's to
// apply to growth (backend.Limits: memory.grow and table.grow return -1 past them), and
// this file's to apply to instantiation: an input that defines a memory, or tables, over
// them fails to instantiate. Its instantiation function traps with memory_limit or
// table_limit before it does anything, so a command exits as on any other failed
// instantiation (a trap report naming the flag, status 134), and in a .wast script the
// step instantiating it traps, which is what assert_trap and assert_uninstantiable see,
// while its other instances run on. The limits are known at build time, so the check is
// too; the trap is deferred to run time because that is when instantiation happens.

// limits is what backend.Link needs of o's limits.
func (o *Options) limits() backend.Limits {
	return backend.Limits{MaxMemory: o.MaxMemory, MaxTableElems: o.MaxTableElems,
		RuntimeMemories: rtlib.Memories, RuntimeTables: rtlib.Tables}
}

// limitTrap is the trap with which module m's instantiation fails under limits l, or
// TrapNone. Only what m defines counts: an import is its exporter's. Tables count
// together, so that many tables cannot add up to what one may not hold (issue 19,
// finding 8).
func limitTrap(m *ir.Module, l backend.Limits) ir.TrapCode {
	for _, mem := range m.Memories {
		if mem.Import == nil && mem.Limits.Min > l.MemoryPages() {
			return ir.TrapMemoryLimit
		}
	}
	total := uint64(0)
	for _, t := range m.Tables {
		if t.Import == nil {
			total += t.Limits.Min // no overflow: a table's minimum is below 2^32
			if total > l.TableElems() {
				return ir.TrapTableLimit
			}
		}
	}
	return ir.TrapNone
}

// limitTraps makes the instantiation of each input in traps (by index; TrapNone for
// none) trap in linked module m: its export prefix(i)+initExport then names a new
// function that traps, and the instantiation it replaces is never run.
func limitTraps(m *ir.Module, traps []ir.TrapCode, prefix func(int) string) {
	for i, code := range traps {
		if code == ir.TrapNone {
			continue
		}
		name := prefix(i) + initExport
		for j := range m.Exports {
			x := &m.Exports[j]
			if x.Name != name || x.Kind != ir.ExternFunc {
				continue
			}
			f := ir.NewFunc(m.Funcs[x.Index].Name+".limit", ir.Signature{})
			b := ir.NewBuilder(f)
			b.NewEntry()
			b.Trap(code)
			x.Index = m.AddFunc(f)
		}
	}
}
