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
// exported: a caller keeps it alive through [Link] by exporting it. With more than 1024
// active segments, the function instead calls parts appended after it, $init.segments,
// $init.segments.2 …, each applying 1024 of them in order, and then the start function.
//
// The function's body, and each part's, is built on demand ([Func.Load]): five
// instructions a segment, for a module that may have a hundred thousand.
//
// Why: native code and the .wast driver (DESIGN.md, decision 11) run instantiation as an
// ordinary function of the program. A segment out of bounds then traps like any other
// trap, reported and unwound by the same means, and the segments applied before it stay
// applied, so their writes to an imported memory or table remain visible to the other
// instances sharing it, as spec 2.0 requires (its linking.wast checks this); the start
// function's effects stay too when it traps. m must pass [VerifyModule], and so does the
// result.
func SplitInit(m *Module) uint32 {
	used := make(map[string]bool, len(m.Funcs)+1)
	for _, f := range m.Funcs {
		used[f.Name] = true
	}
	f := NewFunc(freshName("init", "", used), Signature{})
	idx := m.AddFunc(f)
	// Sized once: growing by doubling copied a Go program's 100 000 segments over and over.
	active := 0
	for k := range m.Elems {
		if m.Elems[k].Mode == Active {
			active++
		}
	}
	for k := range m.Data {
		if m.Data[k].Mode == Active {
			active++
		}
	}
	src := &initBody{segs: make([]initSeg, 0, active)}
	for k := range m.Elems {
		s := &m.Elems[k]
		if s.Mode != Active {
			continue
		}
		src.segs = append(src.segs, initSeg{op: OpTableInit, index: s.Table, seg: uint32(k), offset: s.Offset, n: uint64(s.Len())})
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
		src.segs = append(src.segs, initSeg{op: OpMemInit, index: s.Memory, seg: uint32(k), offset: s.Offset, n: uint64(len(s.Bytes))})
		s.Mode, s.Memory, s.Offset = Passive, 0, ConstExpr{}
	}
	if m.HasStart {
		src.start, src.hasStart = m.Start, true
		m.Start, m.HasStart = 0, false
	}
	// A module may have a hundred thousand segments (Go's runtime data does): the body,
	// five instructions a segment, is built only when something needs it, and past
	// initChunk segments they go to functions of their own, called in order, so that no
	// function grows with the module and the compiler's memory stays bounded.
	if len(src.segs) > initChunk {
		segs := src.segs
		src.segs = nil
		for len(segs) > 0 {
			n := min(len(segs), initChunk)
			part := NewFunc(freshName(f.Name+".segments", "", used), Signature{})
			part.Source = &initBody{segs: segs[:n:n]}
			src.calls = append(src.calls, m.AddFunc(part))
			segs = segs[n:]
		}
	}
	f.Source = src
	return idx
}

// initChunk is the most segments one instantiation function applies.
const initChunk = 1024

// initBody builds the instantiation function of [SplitInit] from the segments it made
// passive; it is small beside the body, which holds five instructions per segment.
type initBody struct {
	segs     []initSeg
	calls    []uint32 // functions applying the segments, when there are many
	start    uint32
	hasStart bool
}

// initSeg is one formerly active segment: OpTableInit of table index or OpMemInit of
// memory index, segment seg of n elements or bytes, at offset.
type initSeg struct {
	op         Op
	index, seg uint32
	offset     ConstExpr
	n          uint64
}

func (s *initBody) Body(f *Func) error {
	m := f.Module
	// Five instructions and three values a segment, a call each and the return: Go's
	// programs have thousands of segments, and growing the arrays from nothing was a fifth
	// of what building bodies allocated on encoding/json's test binary (issue 21).
	f.Reserve(5*len(s.segs)+len(s.calls)+2, 3*len(s.segs)+2)
	b := NewBuilder(f)
	b.NewEntry()
	for _, g := range s.segs {
		t := I32
		if g.op == OpMemInit {
			t = m.Memories[g.index].AddrType()
		}
		d := initOffset(b, m, g.offset, t)
		src := b.IConst(I32, 0)
		n := b.IConst(I32, g.n)
		b.Emit(Instr{Op: g.op, Index: g.index, Index2: g.seg, Args: []Value{d, src, n}})
		drop := OpDataDrop
		if g.op == OpTableInit {
			drop = OpElemDrop
		}
		b.Emit(Instr{Op: drop, Index: g.seg})
	}
	for _, c := range s.calls {
		b.Call(c)
	}
	if s.hasStart {
		b.Call(s.start)
	}
	b.Return()
	return nil
}

func (s *initBody) Refs(fn func(uint32)) error {
	for _, c := range s.calls {
		fn(c)
	}
	if s.hasStart {
		fn(s.start)
	}
	return nil
}

func (s *initBody) Calls(fn func(uint32)) (int, error) {
	if err := s.Refs(fn); err != nil {
		return 0, err
	}
	// Five instructions a segment (Body), a call each and the return: its BodySize.
	return 5*len(s.segs) + len(s.calls) + 2, nil
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
