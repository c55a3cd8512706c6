package ir

import "slices"

// Snapshot returns a [BodySource] that builds copies of f's body as it is now. The
// inliner takes a callee's body from a source, never from the callee's own Func, which
// another worker may be rewriting at the same moment (pass_inline.go); a function whose
// body was built whole (generated code, a module lowered whole) has no source, so the
// driver snapshots the few it means to inline before compiling starts. f is not changed,
// and the snapshot shares nothing with it.
func Snapshot(f *Func) BodySource {
	s := &snapshot{f: &Func{Name: f.Name, Sig: f.Sig, Module: f.Module}}
	copyBody(s.f, f)
	return s
}

// snapshot holds a private copy of a body, which it only reads, from any number of
// goroutines at once.
type snapshot struct{ f *Func }

func (s *snapshot) Body(f *Func) error {
	copyBody(f, s.f)
	return nil
}

func (s *snapshot) Refs(fn func(uint32)) error { return s.f.Refs(fn) }

func (s *snapshot) Calls(fn func(uint32)) (int, error) { return s.f.Calls(fn) }

// copyBody sets dst's body to a copy of src's, sharing no slice with it. The value, block
// and instruction numbers stay as they are. The operand lists come from one allocation,
// each capped so that appending to one reallocates rather than overwrite a neighbour.
func copyBody(dst, src *Func) {
	dst.Values = slices.Clone(src.Values)
	dst.Layout = slices.Clone(src.Layout)
	nv, nt, ni := 0, 0, 0
	for b := range src.Blocks {
		nv += len(src.Blocks[b].Params)
		ni += len(src.Blocks[b].Instrs)
	}
	for i := range src.Instrs {
		in := &src.Instrs[i]
		nv += len(in.Args) + len(in.Results)
		nt += len(in.Targets)
		for _, t := range in.Targets {
			nv += len(t.Args)
		}
	}
	vals := make([]Value, 0, nv)
	ids := make([]InstrID, 0, ni)
	calls := make([]BlockCall, 0, nt)
	cloneValues := func(vs []Value) []Value {
		if vs == nil {
			return nil
		}
		start := len(vals)
		vals = append(vals, vs...)
		return vals[start:len(vals):len(vals)]
	}
	dst.Blocks = make([]Block, len(src.Blocks))
	for b := range src.Blocks {
		blk := &src.Blocks[b]
		start := len(ids)
		ids = append(ids, blk.Instrs...)
		dst.Blocks[b] = Block{Params: cloneValues(blk.Params), Instrs: ids[start:len(ids):len(ids)]}
		if blk.Instrs == nil {
			dst.Blocks[b].Instrs = nil
		}
	}
	dst.Instrs = make([]Instr, len(src.Instrs))
	for i := range src.Instrs {
		in := src.Instrs[i]
		in.Args = cloneValues(in.Args)
		in.Results = cloneValues(in.Results)
		if in.Targets != nil {
			start := len(calls)
			for _, t := range in.Targets {
				calls = append(calls, BlockCall{Block: t.Block, Args: cloneValues(t.Args)})
			}
			in.Targets = calls[start:len(calls):len(calls)]
		}
		dst.Instrs[i] = in
	}
}
