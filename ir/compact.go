package ir

// compactMin is the fewest instruction or block slots a function must have before
// [Func.compact] rebuilds its arrays: a small function's dead slots cost less than the
// copy, and its numbering, which dumps and tests show, stays as lowering made it.
const compactMin = 4096

// compact drops the instructions and blocks that are no longer part of f, when they are
// most of its arrays, renumbering the rest in order. Passes delete by unlisting: a
// folded branch, a merged block or a dead instruction keeps its slot, so a function
// that folds away (100,000 nested ifs on a constant) carried its whole lowered body,
// half the compiler's memory, through every later pass and into instruction selection,
// which sizes its arrays by the slots. Values keep their numbers, since they are small
// and every operand names one; a value whose definition went is marked DefNone.
func (f *Func) compact() {
	live := 0
	for _, b := range f.Layout {
		live += len(f.Blocks[b].Instrs)
	}
	if (len(f.Instrs) < compactMin || 2*live > len(f.Instrs)) &&
		(len(f.Blocks) < compactMin || 2*len(f.Layout) > len(f.Blocks)) {
		return
	}
	blockID := make([]BlockID, len(f.Blocks))
	for i := range blockID {
		blockID[i] = NoBlock
	}
	for i, b := range f.Layout {
		blockID[b] = BlockID(i)
	}
	instrID := make([]InstrID, len(f.Instrs))
	for i := range instrID {
		instrID[i] = NoInstr
	}
	instrs := make([]Instr, 0, live)
	blocks := make([]Block, len(f.Layout))
	for i, b := range f.Layout {
		blk := f.Blocks[b]
		for j, id := range blk.Instrs {
			instrID[id] = InstrID(len(instrs))
			blk.Instrs[j] = InstrID(len(instrs))
			in := f.Instrs[id]
			in.Block = BlockID(i)
			for t := range in.Targets {
				in.Targets[t].Block = blockID[in.Targets[t].Block]
			}
			instrs = append(instrs, in)
		}
		blocks[i] = blk
		f.Layout[i] = BlockID(i)
	}
	for v := range f.Values {
		d := &f.Values[v]
		switch d.Kind {
		case DefParam:
			if nb := blockID[d.Block]; nb != NoBlock {
				d.Block = nb
			} else {
				*d = ValueData{}
			}
		case DefResult:
			if ni := instrID[d.Instr]; ni != NoInstr {
				d.Instr = ni
			} else {
				*d = ValueData{}
			}
		}
	}
	f.Instrs, f.Blocks = instrs, blocks
	f.DropAnalyses()
}
