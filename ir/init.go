package ir

import "fmt"

// SplitInit turns the instantiation of m into code, as the WebAssembly 2.0 spec defines
// it (section 4.5.4, "Instantiation"). It modifies m in place: every active element and
// data segment becomes passive, the start function stops being the start (HasStart is
// cleared), and a new defined function of type () -> () is appended, whose index
// SplitInit returns. That function does, in order, what instantiation did: for each formerly active element segment in index order
//
//	tableinit tableN, elemK, offset, 0, len
//	elemdrop elemK
//
// then for each formerly active data segment in index order
//
//	meminit memN, dataK, offset, 0, len
//	datadrop dataK
//
// then it calls the former start function. An offset is the segment's constant
// expression, an iconst of the memory's address type (i32 for tables) or a globalget.
// Declarative element segments are left as they are: instantiating the module still
// drops them. The function is named $init, or $init.2, $init.3 … when that name is taken
// (as the linker makes up names, it never renames one of m's functions). It is not
// exported: a caller keeps it alive through [Link] by exporting it.
//
// Why: native code and the .wast driver (DESIGN.md, decision 11) run instantiation as an
// ordinary function of the program. A segment out of bounds then traps like any other
// trap, reported and unwound by the same means, and the segments applied before it stay
// applied, so their writes to an imported memory or table remain visible to the other
// instances sharing it, as spec 2.0 requires (its linking.wast checks this); the start
// function's effects stay too when it traps. m must pass [VerifyModule], and so does the
// result.
func SplitInit(m *Module) uint32 {
	used := map[string]bool{}
	for _, f := range m.Funcs {
		used[f.Name] = true
	}
	f := NewFunc(freshName("init", "", used), Signature{})
	idx := m.AddFunc(f)
	b := NewBuilder(f)
	b.NewEntry()

	for k := range m.Elems {
		s := &m.Elems[k]
		if s.Mode != Active {
			continue
		}
		d := initOffset(b, m, s.Offset, I32)
		src := b.IConst(I32, 0)
		n := b.IConst(I32, uint64(len(s.Elems)))
		b.Emit(Instr{Op: OpTableInit, Index: s.Table, Index2: uint32(k), Args: []Value{d, src, n}})
		b.Emit(Instr{Op: OpElemDrop, Index: uint32(k)})
		s.Mode, s.Table, s.Offset = Passive, 0, ConstExpr{}
	}
	for k := range m.Data {
		s := &m.Data[k]
		if s.Mode != Active {
			continue
		}
		if uint64(len(s.Bytes)) > 1<<32-1 {
			panic(fmt.Sprintf("ir.SplitInit: data%d holds %d bytes, more than meminit's i32 length can copy", k, len(s.Bytes)))
		}
		d := initOffset(b, m, s.Offset, m.Memories[s.Memory].AddrType())
		src := b.IConst(I32, 0)
		n := b.IConst(I32, uint64(len(s.Bytes)))
		b.Emit(Instr{Op: OpMemInit, Index: s.Memory, Index2: uint32(k), Args: []Value{d, src, n}})
		b.Emit(Instr{Op: OpDataDrop, Index: uint32(k)})
		s.Mode, s.Memory, s.Offset = Passive, 0, ConstExpr{}
	}
	if m.HasStart {
		b.Call(m.Start)
		m.Start, m.HasStart = 0, false
	}
	b.Return()
	return idx
}

// initOffset emits a segment's offset c, of type t, at the builder's position.
func initOffset(b *Builder, m *Module, c ConstExpr, t Type) Value {
	switch c.Op {
	case OpIConst:
		return b.IConst(t, c.Imm)
	case OpGlobalGet:
		return b.GlobalGet(c.Index, m.Globals[c.Index].Type)
	}
	panic(fmt.Sprintf("ir.SplitInit: a segment offset of %v; VerifyModule allows only iconst and globalget", c.Op))
}
