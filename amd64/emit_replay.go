package amd64

// Encode's final pass copies what the measuring pass encoded of every instruction that
// encodes the same wherever it is. It went through every instruction, edit and copy again
// to learn which, and appended each run of copied ones: about a fifth of -O0's encoding
// on a large module (issue 21). The measuring pass now records only what the final pass
// must do itself, the blocks' starts and the items that jump or refer to a label or a trap,
// and the final pass visits just those, appending the measuring pass's bytes between them
// in one copy each.

// redoKind is what a redo is.
type redoKind uint8

const (
	redoBlock    redoKind = iota // a block's start: its loop alignment and its label
	redoInst                     // f.Insts[idx]
	redoPrologue                 // the prologue's instruction idx
	redoEpilogue                 // an epilogue's instruction idx
	redoEdit                     // the deferred allocation's edit idx
	redoCopy                     // the copy f.Insts[idx] becomes (copyInst)
	redoEnd                      // the end of the blocks' code
)

// item is something the measuring pass encodes: a block's start, an instruction, an
// edit or a copy.
type item struct {
	kind redoKind
	idx  int32
}

// redo is an item the final pass encodes again: the measuring pass put its bytes at
// [start, end) and its relocations, if any, at relocs[relocs:relocs+nrelocs].
type redo struct {
	item
	start, end, relocs, nrelocs int32
}

// replay is Encode's final pass: it appends the measuring pass's code and relocations
// between the redos, and encodes each redo again.
func (f *mfunc) replay(e *emitter, heads []bool) {
	var pro, epi []inst
	at, atRelocs := int32(0), int32(0)
	for _, d := range e.redos {
		e.appendPrev(at, d.start, atRelocs, d.relocs)
		at, atRelocs = d.end, d.relocs+d.nrelocs
		switch d.kind {
		case redoBlock:
			if heads[d.idx] {
				e.alignLoop(false)
			}
			e.a.Bind(e.Blocks[d.idx])
			e.b = d.idx
		case redoInst:
			e.put(&f.Insts[d.idx])
		case redoPrologue:
			if pro == nil {
				e.scratch = f.Prologue(e.scratch[:0])
				pro = e.scratch
			}
			e.put(&pro[d.idx])
		case redoEpilogue:
			if epi == nil {
				e.epi = f.epilogue(e.epi[:0])
				epi = e.epi
			}
			e.put(&epi[d.idx])
		case redoEdit:
			e.edit(f.deferred.Edits[d.idx])
		case redoCopy:
			i := int(d.idx)
			e.copy(f.deferred.Alloc(i, 0), f.deferred.Alloc(i, 1), f.Insts[i].w)
		}
	}
	e.End(e.trapCall, e.data32)
}

// appendPrev appends the measuring pass's code [start, end) with its relocations
// [relocs, relocsEnd), moved along.
func (e *emitter) appendPrev(start, end, relocs, relocsEnd int32) {
	if end <= start {
		return
	}
	e.runs++
	at := uint32(len(e.a.buf))
	e.a.buf = append(e.a.buf, e.prev[start:end]...)
	if relocsEnd == relocs {
		return // most runs: the append's copy would still be a call
	}
	n := len(e.Relocs)
	e.Relocs = append(e.Relocs, e.prevRelocs[relocs:relocsEnd]...)
	for k := n; k < len(e.Relocs); k++ {
		e.Relocs[k].Offset += at - uint32(start)
	}
}
