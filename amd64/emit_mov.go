package amd64

// The emit functions of opMov and opMovImm, which at -O0 are most of the code: spills,
// reloads, register moves and constants were 60% of the instructions of encoding/json's
// test binary (issue 21). Their usual forms, 32- and 64-bit moves between general
// registers, a register and a frame slot, a register and a constant, are appended
// straight to the buffer; every other form goes through the constructors as before, which
// also check what the fast paths assume. TestMovFastPaths compares the two encodings.

// movForms encodes opMov's forms through the constructors.
var movForms = forms{rr: MovRR, rm: MovRM, mr: MovMR, mi: MovMI}

// mov is opMov's emit function.
func (e *emitter) mov(in *inst) {
	if in.w != W32 && in.w != W64 {
		movForms.emit(e, in)
		return
	}
	r := in.regs[0]
	switch in.form {
	case fRR:
		s := in.regs[1]
		if !r.IsGPR() || !s.IsGPR() {
			break
		}
		// MOV r/m, r (89 /r): the source in ModRM.reg.
		sn, dn := uint8(s-RAX), uint8(r-RAX)
		e.a.buf = appendREX(e.a.buf, in.w, sn, dn)
		e.a.buf = append(e.a.buf, 0x89, 0xC0|(sn&7)<<3|dn&7)
		return
	case fRM, fMR:
		if !r.IsGPR() || (in.m.kind != memFP && in.m.kind != memSP) {
			break
		}
		// MOV r, r/m (8B /r) loads, MOV r/m, r (89 /r) stores, rbp- or rsp-based.
		op := byte(0x8B)
		if in.form == fMR {
			op = 0x89
		}
		n := uint8(r - RAX)
		buf := appendREX(e.a.buf, in.w, n, 0)
		e.a.buf = appendFrameModRM(append(buf, op), n, in.m.kind, in.m.disp)
		return
	}
	movForms.emit(e, in)
}

// appendREX appends the REX prefix of a 32- or 64-bit instruction whose ModRM.reg holds
// register number reg and ModRM.rm register number rm, if it needs one (prefixes).
func appendREX(buf []byte, w Width, reg, rm uint8) []byte {
	x := (reg>>3)<<2 | rm>>3 // REX.R, REX.B
	if w == W64 {
		x |= rexW
	}
	if x != 0 {
		buf = append(buf, rex|x)
	}
	return buf
}

// appendFrameModRM appends the ModRM byte (and SIB) and displacement of [rbp + disp]
// (memFP) or [rsp + disp] (memSP) with register number reg in ModRM.reg, as modrmMem
// does: rsp as a base needs a SIB byte, and rbp one a displacement even when it is zero.
func appendFrameModRM(buf []byte, reg uint8, kind memKind, disp int32) []byte {
	base := byte(5) // rbp
	if kind == memSP {
		base = 4
	}
	reg = (reg & 7) << 3
	var mod byte
	switch {
	case disp == 0 && base != 5:
		mod = 0x00
	case int32(int8(disp)) == disp:
		mod = 0x40
	default:
		mod = 0x80
	}
	buf = append(buf, mod|reg|base)
	if base == 4 {
		buf = append(buf, 0x24) // no index, base rsp
	}
	switch mod {
	case 0x40:
		buf = append(buf, byte(disp))
	case 0x80:
		buf = append(buf, byte(disp), byte(disp>>8), byte(disp>>16), byte(disp>>24))
	}
	return buf
}

// movImm is opMovImm's emit function: zero by xor, else the shortest mov (MovConst).
func (e *emitter) movImm(in *inst) {
	d := in.regs[0]
	if !d.IsGPR() {
		e.movImmSlow(in)
		return
	}
	n := uint8(d - RAX)
	v := uint64(in.imm)
	if in.w == W32 {
		v = uint64(uint32(in.imm))
	}
	switch {
	case in.imm == 0:
		// XOR r/m32, r32 (31 /r).
		e.a.buf = appendREX(e.a.buf, W32, n, n)
		e.a.buf = append(e.a.buf, 0x31, 0xC0|(n&7)<<3|n&7)
	case v <= 0xFFFF_FFFF:
		// MOV r32, imm32 (B8+rd id).
		e.a.buf = appendREX(e.a.buf, W32, 0, n)
		e.a.buf = append(e.a.buf, 0xB8+n&7, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
	default:
		e.movImmSlow(in)
	}
}

// movImmSlow is movImm through the constructors.
func (e *emitter) movImmSlow(in *inst) {
	switch d := in.regs[0]; {
	case in.imm == 0:
		e.a.Emit(XorRR(W32, d, d))
	case in.w == W32:
		e.a.Emit(MovConst(d, uint64(uint32(in.imm))))
	default:
		e.a.Emit(MovConst(d, uint64(in.imm)))
	}
}
