package amd64

// vec encodes opVec: the packed instruction in.vop in the form of in.
func (e *emitter) vec(in *inst) {
	r, imm := in.regs, uint8(in.imm)
	switch in.form {
	case fRR, fRRI:
		e.a.Emit(VecRR(in.vop, r[0], r[1], imm))
	case fRI:
		e.a.Emit(VecShiftI(in.vop, r[0], imm))
	case fRM, fMR:
		// A store of a lane (pextr) has its XMM source in ModRM.reg, as a load has its
		// destination; movq and movd stores have their own opcodes.
		switch {
		case in.form == fMR && in.vop == MovqX:
			e.emitM(MovqMR(e.mem(in), r[0]), in)
		case in.form == fMR && in.vop == MovdX:
			e.emitM(MovdMR(e.mem(in), r[0]), in)
		default:
			e.emitM(VecRM(in.vop, r[0], e.mem(in), imm), in)
		}
	default:
		panic("amd64: " + in.vop.String() + " in a form it has no encoding for")
	}
}

// printVec prints opVec as its row's mnemonic, with the immediate last where the form has
// none of its own.
func (f *mfunc) printVec(in *inst, _ int) []string {
	var fl opFlags
	if in.vop.info().flags&vImm != 0 && in.form != fRI && in.form != fRRI {
		fl = immLast
	}
	return f.line(in, in.vop.String(), fl)
}
