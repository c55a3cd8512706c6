package rtlib

import (
	"fmt"

	"github.com/wasmc/wasmc/ir"
)

// Layout is where the runtime's state sits in a linked program, as [LowerIntrinsics]
// needs it.
type Layout struct {
	// RuntimeMemory is the index of the runtime's own linear memory.
	RuntimeMemory uint32
	// GuestMemory is the index of the memory guest_read and guest_write reach (the user
	// module's memory 0, which links first), or -1 if the guest has no memory: then every
	// guest range is out of bounds.
	GuestMemory int
	// Syscalls maps each Sys to the target's system call number ([SyscallNumbers]); a
	// Sys it does not map, or maps to -1, returns -ENOSYS.
	Syscalls []int64
	// Config is the configuration the config intrinsic describes: LowerIntrinsics adds
	// it to the module as a passive data segment that nothing else names. Nil makes
	// config return 0.
	Config []byte
	// Wall is the second wall's data ([Wall]), which the wall intrinsic describes, added
	// as Config is. Nil makes wall return 0: the executable runs without it
	// (--no-os-sandbox).
	Wall []byte
}

// LowerIntrinsics gives each function that m imports from module [Module] a body of IR
// host ops (ir.OpMemDesc, ir.OpHostLoad, ir.OpSyscall …) and turns the calls of it into
// ordinary calls, so that the backend compiles the runtime like any other code and m
// imports nothing from [Module] any more. It runs on the output of ir.Link, which keeps
// those imports (LinkConfig.ExternModules); function indices do not change.
//
// Each intrinsic becomes a small function rather than inline code at every call site so
// that no block of the caller has to be split: the optimizer sees an ordinary call, which
// the inliner may then replace. Its body is built on demand ([ir.BodySource]).
// trap and syscall take their code and number as operands, but the IR ops take them as
// immediates, so their bodies dispatch with a brtable over every value there is.
func LowerIntrinsics(m *ir.Module, l Layout) error {
	if int(l.RuntimeMemory) >= len(m.Memories) {
		return fmt.Errorf("rtlib: runtime memory %d of %d", l.RuntimeMemory, len(m.Memories))
	}
	if l.GuestMemory >= len(m.Memories) {
		return fmt.Errorf("rtlib: guest memory %d of %d", l.GuestMemory, len(m.Memories))
	}
	segment := func(b []byte) int {
		if b == nil {
			return -1
		}
		m.Data = append(m.Data, ir.DataSegment{Mode: ir.Passive, Bytes: b})
		return len(m.Data) - 1
	}
	segs := dataSegs{config: segment(l.Config), wall: segment(l.Wall)}
	lowered := false
	for _, f := range m.Funcs {
		if f.Import == nil || f.Import.Module != Module {
			continue
		}
		in, ok := Lookup(f.Import.Name)
		if !ok {
			return fmt.Errorf("rtlib: %s.%s is not an intrinsic", Module, f.Import.Name)
		}
		if !in.Sig.Equal(f.Sig) {
			return fmt.Errorf("rtlib: %s.%s imported as %v, want %v", Module, in.Name, f.Sig, in.Sig)
		}
		f.Import = nil
		f.Source = &intrinsicSource{m: m, name: in.Name, l: l, segs: segs}
		lowered = true
	}
	if lowered {
		m.RetargetCalls()
	}
	return nil
}

// intrinsicSource builds an intrinsic's body on demand: a function with a source is one
// whose body can be built again, so the inliner can take a copy of it for a caller (the
// runtime's bulk-memory loops call host_load64 and host_store64 per word) while its own
// compilation owns the original.
type intrinsicSource struct {
	m    *ir.Module
	name string
	l    Layout
	segs dataSegs
}

// dataSegs are the indices of the passive data segments LowerIntrinsics added, -1 for
// one it did not.
type dataSegs struct {
	config, wall int
}

// Body implements [ir.BodySource].
func (s *intrinsicSource) Body(f *ir.Func) error {
	b := ir.NewBuilder(f)
	b.NewEntry()
	intrinsicBody(b, s.m, s.name, s.l, s.segs)
	return nil
}

// Refs implements [ir.BodySource]: an intrinsic calls nothing.
func (*intrinsicSource) Refs(func(uint32)) error { return nil }

// Calls implements [ir.BodySource]: no calls, and the size of the body, which is small
// enough to build for the count.
func (s *intrinsicSource) Calls(func(uint32)) (int, error) {
	f := &ir.Func{Name: s.name, Sig: mustIntrinsic(s.name).Sig, Module: s.m}
	if err := s.Body(f); err != nil {
		return 0, err
	}
	return ir.BodySize(f), nil
}

// mustIntrinsic is the intrinsic of a name LowerIntrinsics has already looked up.
func mustIntrinsic(name string) Intrinsic {
	in, ok := Lookup(name)
	if !ok {
		panic("rtlib: no intrinsic " + name)
	}
	return in
}

// Descriptor sizes (backend/doc.go): descriptors of one kind are contiguous.
const (
	tableDescSize   = ir.TableDescSize
	memoryDescSize  = ir.MemDescSize
	segmentDescSize = 16 // a data segment's; an element segment's is backend.ElemDescSize
	elemDescSize    = 24
)

// intrinsicBody builds the body of intrinsic name in b's function, whose entry block is
// current.
func intrinsicBody(b *ir.Builder, m *ir.Module, name string, l Layout, segs dataSegs) {
	p := b.Params(b.Block())
	emit := func(op ir.Op, index uint32, t ir.Type, args ...ir.Value) ir.Value {
		return b.Func().Instrs[b.Emit(ir.Instr{Op: op, Index: index, Args: args}, t)].Results[0]
	}
	// nth is the address of descriptor i (an i32) after the first one's, at base.
	nth := func(base ir.Value, i ir.Value, size uint64) ir.Value {
		off := b.Binary(ir.OpIMul, b.Convert(ir.OpZExt, ir.I64, i), b.IConst(ir.I64, size))
		return b.Binary(ir.OpIAdd, base, off)
	}
	switch name {
	case "trap":
		dispatch(b, p[0], uint64(ir.TrapTableLimit)+1, func(c uint64) {
			code := ir.TrapCode(c)
			if code == ir.TrapNone {
				code = ir.TrapUnreachable
			}
			b.Trap(code)
		})
	case "syscall":
		// Over the target's table only: Linux's stops before the darwin-only calls.
		n := uint64(len(l.Syscalls))
		if n == 0 {
			n = uint64(numLinuxSys)
		}
		dispatch(b, p[0], n, func(nr uint64) {
			if nr >= uint64(len(l.Syscalls)) || l.Syscalls[nr] < 0 {
				b.Return(b.IConst(ir.I64, enosys))
				return
			}
			b.Return(emitSyscall(b, uint64(l.Syscalls[nr]), p[1:]))
		})
	case "host_load64":
		b.Return(emit(ir.OpHostLoad, 0, ir.I64, p[0]))
	case "host_load8":
		b.Return(emit(ir.OpHostLoad8, 0, ir.I32, p[0]))
	case "host_store64":
		b.Emit(ir.Instr{Op: ir.OpHostStore, Args: []ir.Value{p[0], p[1]}})
		b.Return()
	case "rt_host":
		base := emit(ir.OpHostLoad, 0, ir.I64, emit(ir.OpMemDesc, l.RuntimeMemory, ir.I64))
		b.Return(b.Binary(ir.OpIAdd, base, b.Convert(ir.OpZExt, ir.I64, p[0])))
	case "memory_descriptor":
		b.Return(nth(emit(ir.OpMemDesc, 0, ir.I64), p[0], memoryDescSize))
	case "table_descriptor", "data_descriptor", "elem_descriptor":
		op, n, size := ir.OpTableDesc, len(m.Tables), uint64(tableDescSize)
		switch name {
		case "data_descriptor":
			op, n, size = ir.OpDataDesc, len(m.Data), segmentDescSize
		case "elem_descriptor":
			op, n, size = ir.OpElemDesc, len(m.Elems), elemDescSize
		}
		if n == 0 { // nothing to describe; the runtime is never asked
			b.Return(b.IConst(ir.I64, 0))
			return
		}
		b.Return(nth(emit(op, 0, ir.I64), p[0], size))
	case "functab":
		b.Return(emit(ir.OpFunctab, 0, ir.I64))
	case "guest_read":
		guestCopy(b, l, p[1], p[2], func(guest ir.Value, n ir.Value) {
			b.Emit(ir.Instr{Op: ir.OpMemCopy, Index: l.RuntimeMemory, Index2: uint32(l.GuestMemory), Args: []ir.Value{p[0], guest, n}})
		})
	case "guest_write":
		guestCopy(b, l, p[0], p[2], func(guest ir.Value, n ir.Value) {
			b.Emit(ir.Instr{Op: ir.OpMemCopy, Index: uint32(l.GuestMemory), Index2: l.RuntimeMemory, Args: []ir.Value{guest, p[1], n}})
		})
	case "guest_memory":
		if l.GuestMemory < 0 {
			b.Return(b.IConst(ir.I64, 0))
			return
		}
		b.Return(nth(emit(ir.OpMemDesc, 0, ir.I64), b.IConst(ir.I32, uint64(l.GuestMemory)), memoryDescSize))
	case "config", "wall":
		seg := segs.config
		if name == "wall" {
			seg = segs.wall
		}
		if seg < 0 {
			b.Return(b.IConst(ir.I64, 0))
			return
		}
		b.Return(nth(emit(ir.OpDataDesc, 0, ir.I64), b.IConst(ir.I32, uint64(seg)), segmentDescSize))
	default:
		panic("rtlib: intrinsic without a lowering: " + name) // Intrinsics and this switch disagree
	}
}

// enosys is -ENOSYS as a 64-bit pattern: the result of an unknown syscall number.
const enosys = ^uint64(38 - 1)

// emitSyscall emits the target's syscall nr with the six i64 arguments and returns its
// result.
func emitSyscall(b *ir.Builder, nr uint64, args []ir.Value) ir.Value {
	id := b.Emit(ir.Instr{Op: ir.OpSyscall, Imm: nr, Args: args}, ir.I64)
	return b.Func().Instrs[id].Results[0]
}

// dispatch ends the current block with a brtable over v's values 0 … n-1, each to a block
// that body fills and terminates; values past n go to body(0)'s block.
func dispatch(b *ir.Builder, v ir.Value, n uint64, body func(uint64)) {
	targets := make([]ir.BlockCall, n)
	for i := range targets {
		targets[i] = ir.BlockCall{Block: b.NewBlock()}
	}
	b.BrTable(v, targets, targets[0])
	for i, t := range targets {
		b.SetBlock(t.Block)
		body(uint64(i))
	}
}

// guestCopy builds guest_read's and guest_write's body: -1 unless [addr, addr+n) lies in
// the guest memory, else copy(addr as the memory's address type, n) and 0. The check
// never wraps: n is at most 2^32-1 and the size at most 2^48.
func guestCopy(b *ir.Builder, l Layout, addr, n ir.Value, copy func(guest, n ir.Value)) {
	fail := b.NewBlock()
	if l.GuestMemory < 0 {
		b.Jump(fail)
	} else {
		mem := uint32(l.GuestMemory)
		id := b.Emit(ir.Instr{Op: ir.OpMemSize, Index: mem}, ir.I32)
		pages := b.Func().Instrs[id].Results[0]
		size := b.Binary(ir.OpIShl, b.Convert(ir.OpZExt, ir.I64, pages), b.IConst(ir.I64, 16))
		n64 := b.Convert(ir.OpZExt, ir.I64, n)
		tooLong := b.ICmp(ir.CondUGT, n64, size)
		check := b.NewBlock()
		b.BrIf(tooLong, fail, nil, check, nil)
		b.SetBlock(check)
		past := b.ICmp(ir.CondUGT, addr, b.Binary(ir.OpISub, size, n64))
		ok := b.NewBlock()
		b.BrIf(past, fail, nil, ok, nil)
		b.SetBlock(ok)
		copy(b.Convert(ir.OpWrap, ir.I32, addr), n)
		b.Return(b.IConst(ir.I32, 0))
	}
	b.SetBlock(fail)
	b.Return(b.IConst(ir.I32, ^uint64(0)))
}
