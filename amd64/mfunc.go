package amd64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/regalloc"
)

// mfunc is one function's machine code between instruction selection and encoding: the
// [backend.MachineFunc] of this ISA. backend.Func holds its blocks, instructions and virtual
// registers and is what the register allocator reads; mfunc adds what is x86's: the calling
// convention, the outgoing argument area, the frame, and the methods that finish, encode and
// print it.
type mfunc struct {
	backend.Func[inst, *inst]

	conv callConv

	// outWords is the size of the outgoing argument and result area, in 8-byte words: the
	// largest any call of the function needs.
	outWords int32

	frame frame // set by Finish

	// deferred is the allocation FinishDeferred assigned, whose edits Encode interleaves;
	// nil after Finish.
	deferred *regalloc.Result

	// placed is PlaceRange's scratch for what Place puts in an instruction's place.
	placed []inst
}

// instPool holds the instruction arrays of encoded functions for the next selection
// (issue 21).
var instPool backend.InstPool[inst]

// Recycle implements [backend.Recycler].
func (f *mfunc) Recycle() {
	f.RecycleInsts(&instPool)
	f.deferred = nil
}

// AppendInstrs implements [regalloc.DenseFunc] as [backend.Func]'s does, with what
// Describe says of each instruction read here: backend's generic code called Describe
// through its dictionary, one indirect call per instruction (issue 21).
func (f *mfunc) AppendInstrs(l *regalloc.InstrList) {
	insts := f.Insts
	for i := range insts {
		in := &insts[i]
		var clobbers regalloc.RegSet
		if in.IsCall() {
			clobbers = f.CallClobbers
		}
		l.Add(in.ops, clobbers, in.IsCopy())
	}
}
