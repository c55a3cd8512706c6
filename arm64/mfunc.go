package arm64

import "github.com/wasmc/wasmc/backend"

// mfunc is one function's machine code between instruction selection and encoding: the
// [backend.MachineFunc] of this ISA. backend.Func holds its blocks, instructions and virtual
// registers and is what the register allocator reads; mfunc adds what is A64's: the calling
// convention, the outgoing argument area, the frame, and the methods that finish, encode and
// print it.
type mfunc struct {
	backend.Func[inst, *inst]

	conv callConv

	// outWords is the size of the outgoing argument and result area, in 8-byte words: the
	// largest any call of the function needs.
	outWords int32

	frame frame // set by Finish
	// regSlab holds the registers of the instructions Finish has not placed yet: all come
	// from one allocation.
	regSlab []Reg
}

// instPool holds the instruction arrays of encoded functions for the next selection
// (issue 21).
var instPool backend.InstPool[inst]

// Recycle implements [backend.Recycler].
func (f *mfunc) Recycle() { f.RecycleInsts(&instPool) }
