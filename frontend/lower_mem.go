package frontend

// Lowering, the instructions that touch module state: loads and stores (each after an
// explicit boundscheck), memory size and growth, bulk memory, tables, references,
// globals and calls. Bulk operations, table accesses and calls check their bounds
// themselves in the IR, so they need no separate check.

import (
	"fmt"

	"github.com/wasmc/wasmc/ir"
)

// access describes a load or store: the IR type, the width in bytes and, for loads,
// whether a narrow value is sign-extended.
type access struct {
	t      ir.Type
	width  uint8
	signed bool
}

// loads are opcodes 0x28 to 0x35, stores 0x36 to 0x3E.
var (
	loads = [...]access{
		{ir.I32, 4, false}, {ir.I64, 8, false}, {ir.F32, 4, false}, {ir.F64, 8, false},
		{ir.I32, 1, true}, {ir.I32, 1, false}, {ir.I32, 2, true}, {ir.I32, 2, false},
		{ir.I64, 1, true}, {ir.I64, 1, false}, {ir.I64, 2, true}, {ir.I64, 2, false},
		{ir.I64, 4, true}, {ir.I64, 4, false},
	}
	stores = [...]access{
		{ir.I32, 4, false}, {ir.I64, 8, false}, {ir.F32, 4, false}, {ir.F64, 8, false},
		{ir.I32, 1, false}, {ir.I32, 2, false}, {ir.I64, 1, false}, {ir.I64, 2, false}, {ir.I64, 4, false},
	}
)

func loadOp(op Opcode) *access {
	if op >= 0x28 && op < 0x28+Opcode(len(loads)) {
		return &loads[op-0x28]
	}
	return nil
}

func storeOp(op Opcode) *access {
	if op >= 0x36 && op < 0x36+Opcode(len(stores)) {
		return &stores[op-0x36]
	}
	return nil
}

// load checks that the access fits the memory, then loads. The check's byte count is
// offset + width as a 64-bit number: a wasm offset near 2^32 makes it exceed any 32-bit
// memory, so the check traps, as the access must.
func (l *funcLowerer) load(mem uint32, offset uint64, a *access) {
	addr := l.pop()
	l.boundsCheck(mem, addr, offset+uint64(a.width))
	signed := a.signed && int(a.width) < a.t.Size()
	l.push(l.value(ir.Instr{Op: ir.OpLoad, Index: mem, Imm: offset, Width: a.width, Signed: signed,
		Args: l.args1(addr)}, a.t))
}

// store checks that the access fits the memory, then stores.
func (l *funcLowerer) store(mem uint32, offset uint64, a *access) {
	v := l.pop()
	addr := l.pop()
	l.boundsCheck(mem, addr, offset+uint64(a.width))
	l.b.Emit(ir.Instr{Op: ir.OpStore, Index: mem, Imm: offset, Width: a.width, Args: l.args2(addr, v)})
}

func (l *funcLowerer) boundsCheck(mem uint32, addr ir.Value, n uint64) {
	l.b.Emit(ir.Instr{Op: ir.OpBoundsCheck, Index: mem, Imm: n, Args: l.args1(addr)})
}

func (l *funcLowerer) globalGet(x uint32) {
	l.push(l.value(ir.Instr{Op: ir.OpGlobalGet, Index: x}, l.mod.globalType[x]))
}

func (l *funcLowerer) globalSet(x uint32) { l.effect(ir.Instr{Op: ir.OpGlobalSet, Index: x}, 1) }

// effect emits an instruction without results, taking its n operands from the stack.
func (l *funcLowerer) effect(in ir.Instr, n int) {
	in.Args = l.top(n)
	l.b.Emit(in)
	l.stack = l.stack[:len(l.stack)-n]
}

// memOrTableOp lowers the memory, table, reference and global instructions.
func (l *funcLowerer) memOrTableOp(in *Instr) error {
	switch in.Op {
	case OpMemorySize:
		l.push(l.value(ir.Instr{Op: ir.OpMemSize, Index: in.Idx}, ir.I32))
	case OpMemoryGrow:
		d := l.pop()
		l.push(l.value(ir.Instr{Op: ir.OpMemGrow, Index: in.Idx, Args: l.args1(d)}, ir.I32))
	case OpMemoryFill:
		l.effect(ir.Instr{Op: ir.OpMemFill, Index: in.Idx}, 3)
	case OpMemoryCopy:
		l.effect(ir.Instr{Op: ir.OpMemCopy, Index: in.Idx, Index2: in.Idx2}, 3)
	case OpMemoryInit:
		l.effect(ir.Instr{Op: ir.OpMemInit, Index: in.Idx2, Index2: in.Idx}, 3)
	case OpDataDrop:
		l.b.Emit(ir.Instr{Op: ir.OpDataDrop, Index: in.Idx})
	case OpTableGet:
		i := l.pop()
		l.push(l.value(ir.Instr{Op: ir.OpTableGet, Index: in.Idx, Args: l.args1(i)}, l.mod.tableElem[in.Idx]))
	case OpTableSet:
		l.effect(ir.Instr{Op: ir.OpTableSet, Index: in.Idx}, 2)
	case OpTableSize:
		l.push(l.value(ir.Instr{Op: ir.OpTableSize, Index: in.Idx}, ir.I32))
	case OpTableGrow:
		n := l.pop()
		r := l.pop()
		l.push(l.value(ir.Instr{Op: ir.OpTableGrow, Index: in.Idx, Args: l.args2(r, n)}, ir.I32))
	case OpTableFill:
		l.effect(ir.Instr{Op: ir.OpTableFill, Index: in.Idx}, 3)
	case OpTableCopy:
		l.effect(ir.Instr{Op: ir.OpTableCopy, Index: in.Idx, Index2: in.Idx2}, 3)
	case OpTableInit:
		l.effect(ir.Instr{Op: ir.OpTableInit, Index: in.Idx2, Index2: in.Idx}, 3)
	case OpElemDrop:
		l.b.Emit(ir.Instr{Op: ir.OpElemDrop, Index: in.Idx})
	case OpRefNull:
		l.push(l.value(ir.Instr{Op: ir.OpRefNull}, valType(in.RefType)))
	case OpRefIsNull:
		r := l.pop()
		l.push(l.value(ir.Instr{Op: ir.OpRefIsNull, Args: l.args1(r)}, ir.I32))
	case OpRefFunc:
		l.push(l.value(ir.Instr{Op: ir.OpRefFunc, Index: in.Idx}, ir.FuncRef))
	case OpGlobalGet:
		l.globalGet(in.Idx)
	case OpGlobalSet:
		l.globalSet(in.Idx)
	default:
		return fmt.Errorf("func %d: lowering does not handle %s", l.fn, in.Op)
	}
	return nil
}

// call lowers a direct call; the callee's results replace its arguments on the stack.
func (l *funcLowerer) call(in *Instr) error {
	typ := l.mod.funcType[in.Idx]
	n := len(l.mod.sigs[typ].Params)
	results := l.b.Call(in.Idx, l.top(n)...)
	l.stack = append(l.stack[:len(l.stack)-n], results...)
	return nil
}

// callIndirect lowers call_indirect: the callee index is on top of the arguments, and
// the IR takes it first. The expected type was interned when the module was declared.
func (l *funcLowerer) callIndirect(in *Instr) error {
	sig := &l.mod.sigs[in.Idx]
	callee := l.pop()
	n := len(sig.Params)
	l.args = append(append(l.args[:0], callee), l.top(n)...)
	id := l.b.Emit(ir.Instr{Op: ir.OpCallIndirect, Index: in.Idx2, Index2: l.mod.irType[in.Idx], Args: l.args},
		sig.Results...)
	l.stack = append(l.stack[:len(l.stack)-n], l.f.Instrs[id].Results...)
	return nil
}
