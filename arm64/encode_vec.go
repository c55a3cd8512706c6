package arm64

// The Advanced SIMD instructions of the vector ops (issue 17): one table of rows, each the
// fixed bits of one instruction word, to which VecInst adds Q (the 128-bit form, or the
// upper half of a widening or narrowing one), the size field, the registers and the
// instruction's other fields (lane index, shift). Every row is Armv8.0-A; TestVecEncode
// decodes each with arm64asm.

// VecOp is one Advanced SIMD instruction, a row of vecTable.
type VecOp uint8

// The rows, grouped by encoding class of the Arm ARM (C4.1.6, "Data processing - SIMD and
// floating point").
const (
	vNone VecOp = iota
	// Three same: Vd, Vn, Vm; size at bit 22 (sz for floats).
	VAdd
	VSub
	VMul
	VSqadd
	VUqadd
	VSqsub
	VUqsub
	VSmax
	VUmax
	VSmin
	VUmin
	VUrhadd
	VCmgt
	VCmhi
	VCmge
	VCmhs
	VCmeq
	VSshl
	VUshl
	VSqrdmulh
	VAddp
	VUmaxp
	VAnd // size 00 is part of the row, as for the logical rows below: size must be 0
	VBic
	VOrr
	VEor
	VBsl
	VFadd
	VFsub
	VFmul
	VFdiv
	VFmax
	VFmin
	VFcmeq
	VFcmge
	VFcmgt
	// Two-register miscellaneous: Vd, Vn; size at bit 22.
	VAbs
	VNeg
	VCnt
	VNot
	VCmeq0
	VSaddlp
	VUaddlp
	VSqxtn
	VUqxtn
	VSqxtun
	VFabs
	VFneg
	VFsqrt
	VFrintn
	VFrintm
	VFrintp
	VFrintz
	VFcvtzs
	VFcvtzu
	VScvtf
	VUcvtf
	VFcvtn
	VFcvtl
	// Shift by immediate: Vd, Vn; immh:immb in the extra field (bits 22:16).
	VSshll
	VUshll
	VUshr
	VSshr
	VShl
	// Three different: Vd, Vn, Vm; size of the source lanes.
	VSmull
	VUmull
	// Across lanes: a scalar Vd, Vn; size at bit 22.
	VUminv
	// Copy: imm5 (and imm4) in the extra field; no size.
	VDupElem // Vd.T, Vn.T[i]
	VDupGen  // Vd.T, Rn
	VSmov    // Rd, Vn.T[i]
	VUmov    // Rd, Vn.T[i]
	VInsGen  // Vd.T[i], Rn (Q must be 1)
	VInsElem // Vd.T[i], Vn.T[j] (Q must be 1)
	VDupScalar
	// Table lookup: Vd.16B, {Vn.16B}, Vm.16B.
	VTbl
	VTbx
	// Modified immediate: movi Vd.2D, #imm, each byte of imm 0 or 0xff by a bit of
	// a:b:c:d:e:f:g:h in the extra field (VecByteMask).
	VMovi2D
	numVecOps
)

// vecRow is an instruction's fixed bits and dump name.
type vecRow struct {
	name string
	word uint32
	// sized rows take the size field at bit 22 (two bits; floats' sz is one).
	sized bool
}

var vecTable = [numVecOps]vecRow{
	VAdd:      {"add", 0x0E208400, true},
	VSub:      {"sub", 0x2E208400, true},
	VMul:      {"mul", 0x0E209C00, true},
	VSqadd:    {"sqadd", 0x0E200C00, true},
	VUqadd:    {"uqadd", 0x2E200C00, true},
	VSqsub:    {"sqsub", 0x0E202C00, true},
	VUqsub:    {"uqsub", 0x2E202C00, true},
	VSmax:     {"smax", 0x0E206400, true},
	VUmax:     {"umax", 0x2E206400, true},
	VSmin:     {"smin", 0x0E206C00, true},
	VUmin:     {"umin", 0x2E206C00, true},
	VUrhadd:   {"urhadd", 0x2E201400, true},
	VCmgt:     {"cmgt", 0x0E203400, true},
	VCmhi:     {"cmhi", 0x2E203400, true},
	VCmge:     {"cmge", 0x0E203C00, true},
	VCmhs:     {"cmhs", 0x2E203C00, true},
	VCmeq:     {"cmeq", 0x2E208C00, true},
	VSshl:     {"sshl", 0x0E204400, true},
	VUshl:     {"ushl", 0x2E204400, true},
	VSqrdmulh: {"sqrdmulh", 0x2E20B400, true},
	VAddp:     {"addp", 0x0E20BC00, true},
	VUmaxp:    {"umaxp", 0x2E20A400, true},
	VAnd:      {"and", 0x0E201C00, false},
	VBic:      {"bic", 0x0E601C00, false},
	VOrr:      {"orr", 0x0EA01C00, false},
	VEor:      {"eor", 0x2E201C00, false},
	VBsl:      {"bsl", 0x2E601C00, false},
	VFadd:     {"fadd", 0x0E20D400, true},
	VFsub:     {"fsub", 0x0EA0D400, true},
	VFmul:     {"fmul", 0x2E20DC00, true},
	VFdiv:     {"fdiv", 0x2E20FC00, true},
	VFmax:     {"fmax", 0x0E20F400, true},
	VFmin:     {"fmin", 0x0EA0F400, true},
	VFcmeq:    {"fcmeq", 0x0E20E400, true},
	VFcmge:    {"fcmge", 0x2E20E400, true},
	VFcmgt:    {"fcmgt", 0x2EA0E400, true},

	VAbs:    {"abs", 0x0E20B800, true},
	VNeg:    {"neg", 0x2E20B800, true},
	VCnt:    {"cnt", 0x0E205800, true},
	VNot:    {"mvn", 0x2E205800, true},
	VCmeq0:  {"cmeq", 0x0E209800, true},
	VSaddlp: {"saddlp", 0x0E202800, true},
	VUaddlp: {"uaddlp", 0x2E202800, true},
	VSqxtn:  {"sqxtn", 0x0E214800, true},
	VUqxtn:  {"uqxtn", 0x2E214800, true},
	VSqxtun: {"sqxtun", 0x2E212800, true},
	VFabs:   {"fabs", 0x0EA0F800, true},
	VFneg:   {"fneg", 0x2EA0F800, true},
	VFsqrt:  {"fsqrt", 0x2EA1F800, true},
	VFrintn: {"frintn", 0x0E218800, true},
	VFrintm: {"frintm", 0x0E219800, true},
	VFrintp: {"frintp", 0x0EA18800, true},
	VFrintz: {"frintz", 0x0EA19800, true},
	VFcvtzs: {"fcvtzs", 0x0EA1B800, true},
	VFcvtzu: {"fcvtzu", 0x2EA1B800, true},
	VScvtf:  {"scvtf", 0x0E21D800, true},
	VUcvtf:  {"ucvtf", 0x2E21D800, true},
	VFcvtn:  {"fcvtn", 0x0E216800, true},
	VFcvtl:  {"fcvtl", 0x0E217800, true},

	VSshll: {"sshll", 0x0F00A400, false},
	VUshll: {"ushll", 0x2F00A400, false},
	VUshr:  {"ushr", 0x2F000400, false},
	VSshr:  {"sshr", 0x0F000400, false},
	VShl:   {"shl", 0x0F005400, false},

	VSmull: {"smull", 0x0E20C000, true},
	VUmull: {"umull", 0x2E20C000, true},

	VUminv: {"uminv", 0x2E31A800, true},

	VDupElem:   {"dup", 0x0E000400, false},
	VDupGen:    {"dup", 0x0E000C00, false},
	VSmov:      {"smov", 0x0E002C00, false},
	VUmov:      {"umov", 0x0E003C00, false},
	VInsGen:    {"mov", 0x0E001C00, false},
	VInsElem:   {"mov", 0x2E000400, false},
	VDupScalar: {"mov", 0x5E000400, false},

	VTbl: {"tbl", 0x0E000000, false},
	VTbx: {"tbx", 0x0E001000, false},

	VMovi2D: {"movi", 0x2F00E400, false},
}

// String returns the row's mnemonic.
func (o VecOp) String() string {
	if o < numVecOps && vecTable[o].name != "" {
		return vecTable[o].name
	}
	return "vecop"
}

// VecInst encodes row o: q selects the 128-bit form (or the second half of a widening
// or narrowing one), size the lane size (0 to 3 for 8 to 64 bits; 0 or 1 for f32 and f64),
// extra the row's other fields already in place (VecLane, VecShift); d, n and m are the
// registers (NoReg where the row has none), general or SIMD&FP as the row says.
func VecInst(o VecOp, q bool, size uint32, extra uint32, d, n, m Reg) Inst {
	row := vecTable[o]
	w := row.word | extra
	if q {
		w |= 1 << 30
	}
	if row.sized {
		w |= size << 22
	}
	for k, r := range [3]Reg{d, n, m} {
		if r == SP {
			panic("arm64: sp in an Advanced SIMD instruction, where 31 is the zero register")
		}
		if r != NoReg {
			w |= r.Num() << [3]uint{0, 5, 16}[k]
		}
	}
	return Inst{word: w}
}

// VecLane is the imm5 field of the copy rows for lane i of lanes of 8<<size bits, and
// imm4 for a source lane j (INS element).
func VecLane(size uint32, i, j int) uint32 {
	imm5 := uint32(i)<<(size+1) | 1<<size
	return imm5<<16 | uint32(j)<<size<<11
}

// VecByteMask is movi's a:b:c:d:e:f:g:h field for the 64-bit immediate whose byte i is
// 0xff where bit i of m is set, else 0.
func VecByteMask(m uint8) uint32 { return uint32(m>>5)<<16 | uint32(m&31)<<5 }

// VecShift is the immh:immb field of the shift rows: for a left shift (shl, sshll, ushll)
// of lanes of bits bits by n, bits+n; for a right shift (ushr, sshr), 2*bits-n.
func VecShift(bits, n int, right bool) uint32 {
	if right {
		return uint32(2*bits-n) << 16
	}
	return uint32(bits+n) << 16
}
