package arm64

import "testing"

// TestVecEncode decodes every row of vecTable with arm64asm in a typical form and
// compares the whole text, so that a wrong bit in a row, in Q, in the size field or in
// the lane and shift fields shows.
func TestVecEncode(t *testing.T) {
	seen := map[VecOp]bool{}
	for _, c := range []struct {
		o     VecOp
		q     bool
		size  uint32
		extra uint32
		d, n  Reg
		m     Reg
		text  string
	}{
		{VAdd, true, 0, 0, V0, V1, V2, "add v0.16b, v1.16b, v2.16b"},
		{VAdd, true, 3, 0, V0, V1, V2, "add v0.2d, v1.2d, v2.2d"},
		{VSub, true, 1, 0, V3, V4, V5, "sub v3.8h, v4.8h, v5.8h"},
		{VMul, true, 2, 0, V3, V4, V31, "mul v3.4s, v4.4s, v31.4s"},
		{VSqadd, true, 0, 0, V0, V1, V2, "sqadd v0.16b, v1.16b, v2.16b"},
		{VUqadd, true, 1, 0, V0, V1, V2, "uqadd v0.8h, v1.8h, v2.8h"},
		{VSqsub, true, 0, 0, V0, V1, V2, "sqsub v0.16b, v1.16b, v2.16b"},
		{VUqsub, true, 1, 0, V0, V1, V2, "uqsub v0.8h, v1.8h, v2.8h"},
		{VSmax, true, 2, 0, V0, V1, V2, "smax v0.4s, v1.4s, v2.4s"},
		{VUmax, true, 0, 0, V0, V1, V2, "umax v0.16b, v1.16b, v2.16b"},
		{VSmin, true, 1, 0, V0, V1, V2, "smin v0.8h, v1.8h, v2.8h"},
		{VUmin, true, 2, 0, V0, V1, V2, "umin v0.4s, v1.4s, v2.4s"},
		{VUrhadd, true, 0, 0, V0, V1, V2, "urhadd v0.16b, v1.16b, v2.16b"},
		{VCmgt, true, 3, 0, V0, V1, V2, "cmgt v0.2d, v1.2d, v2.2d"},
		{VCmhi, true, 0, 0, V0, V1, V2, "cmhi v0.16b, v1.16b, v2.16b"},
		{VCmge, true, 1, 0, V0, V1, V2, "cmge v0.8h, v1.8h, v2.8h"},
		{VCmhs, true, 2, 0, V0, V1, V2, "cmhs v0.4s, v1.4s, v2.4s"},
		{VCmeq, true, 3, 0, V0, V1, V2, "cmeq v0.2d, v1.2d, v2.2d"},
		{VSshl, true, 0, 0, V0, V1, V2, "sshl v0.16b, v1.16b, v2.16b"},
		{VUshl, true, 3, 0, V0, V1, V2, "ushl v0.2d, v1.2d, v2.2d"},
		{VSqrdmulh, true, 1, 0, V0, V1, V2, "sqrdmulh v0.8h, v1.8h, v2.8h"},
		{VAddp, true, 2, 0, V0, V1, V2, "addp v0.4s, v1.4s, v2.4s"},
		{VUmaxp, true, 2, 0, V0, V1, V1, "umaxp v0.4s, v1.4s, v1.4s"},
		{VAnd, true, 0, 0, V0, V1, V2, "and v0.16b, v1.16b, v2.16b"},
		{VBic, true, 0, 0, V0, V1, V2, "bic v0.16b, v1.16b, v2.16b"},
		{VOrr, true, 0, 0, V0, V1, V2, "orr v0.16b, v1.16b, v2.16b"},
		{VOrr, true, 0, 0, V0, V1, V1, "mov v0.16b, v1.16b"},
		{VEor, true, 0, 0, V0, V1, V2, "eor v0.16b, v1.16b, v2.16b"},
		{VBsl, true, 0, 0, V0, V1, V2, "bsl v0.16b, v1.16b, v2.16b"},
		{VFadd, true, 0, 0, V0, V1, V2, "fadd v0.4s, v1.4s, v2.4s"},
		{VFsub, true, 1, 0, V0, V1, V2, "fsub v0.2d, v1.2d, v2.2d"},
		{VFmul, true, 0, 0, V0, V1, V2, "fmul v0.4s, v1.4s, v2.4s"},
		{VFdiv, true, 1, 0, V0, V1, V2, "fdiv v0.2d, v1.2d, v2.2d"},
		{VFmax, true, 0, 0, V0, V1, V2, "fmax v0.4s, v1.4s, v2.4s"},
		{VFmin, true, 1, 0, V0, V1, V2, "fmin v0.2d, v1.2d, v2.2d"},
		{VFcmeq, true, 0, 0, V0, V1, V2, "fcmeq v0.4s, v1.4s, v2.4s"},
		{VFcmge, true, 1, 0, V0, V1, V2, "fcmge v0.2d, v1.2d, v2.2d"},
		{VFcmgt, true, 0, 0, V0, V1, V2, "fcmgt v0.4s, v1.4s, v2.4s"},
		{VAbs, true, 3, 0, V0, V1, NoReg, "abs v0.2d, v1.2d"},
		{VNeg, true, 0, 0, V0, V1, NoReg, "neg v0.16b, v1.16b"},
		{VCnt, true, 0, 0, V0, V1, NoReg, "cnt v0.16b, v1.16b"},
		{VNot, true, 0, 0, V0, V1, NoReg, "mvn v0.16b, v1.16b"},
		{VCmeq0, true, 3, 0, V0, V1, NoReg, "cmeq v0.2d, v1.2d, #0"},
		{VSaddlp, true, 0, 0, V0, V1, NoReg, "saddlp v0.8h, v1.16b"},
		{VUaddlp, true, 1, 0, V0, V1, NoReg, "uaddlp v0.4s, v1.8h"},
		{VSqxtn, false, 0, 0, V0, V1, NoReg, "sqxtn v0.8b, v1.8h"},
		{VSqxtn, true, 1, 0, V0, V1, NoReg, "sqxtn2 v0.8h, v1.4s"},
		{VUqxtn, false, 2, 0, V0, V1, NoReg, "uqxtn v0.2s, v1.2d"},
		{VSqxtun, true, 0, 0, V0, V1, NoReg, "sqxtun2 v0.16b, v1.8h"},
		{VFabs, true, 0, 0, V0, V1, NoReg, "fabs v0.4s, v1.4s"},
		{VFneg, true, 1, 0, V0, V1, NoReg, "fneg v0.2d, v1.2d"},
		{VFsqrt, true, 0, 0, V0, V1, NoReg, "fsqrt v0.4s, v1.4s"},
		{VFrintn, true, 1, 0, V0, V1, NoReg, "frintn v0.2d, v1.2d"},
		{VFrintm, true, 0, 0, V0, V1, NoReg, "frintm v0.4s, v1.4s"},
		{VFrintp, true, 1, 0, V0, V1, NoReg, "frintp v0.2d, v1.2d"},
		{VFrintz, true, 0, 0, V0, V1, NoReg, "frintz v0.4s, v1.4s"},
		{VFcvtzs, true, 0, 0, V0, V1, NoReg, "fcvtzs v0.4s, v1.4s"},
		{VFcvtzu, true, 1, 0, V0, V1, NoReg, "fcvtzu v0.2d, v1.2d"},
		{VScvtf, true, 0, 0, V0, V1, NoReg, "scvtf v0.4s, v1.4s"},
		{VUcvtf, true, 1, 0, V0, V1, NoReg, "ucvtf v0.2d, v1.2d"},
		{VFcvtn, false, 1, 0, V0, V1, NoReg, "fcvtn v0.2s, v1.2d"},
		{VFcvtl, false, 1, 0, V0, V1, NoReg, "fcvtl v0.2d, v1.2s"},
		{VSshll, false, 0, VecShift(8, 0, false), V0, V1, NoReg, "sxtl v0.8h, v1.8b"},
		{VSshll, true, 0, VecShift(16, 0, false), V0, V1, NoReg, "sxtl2 v0.4s, v1.8h"},
		{VUshll, false, 0, VecShift(32, 0, false), V0, V1, NoReg, "uxtl v0.2d, v1.2s"},
		{VUshr, true, 0, VecShift(8, 7, true), V0, V1, NoReg, "ushr v0.16b, v1.16b, #7"},
		{VUshr, true, 0, VecShift(64, 63, true), V0, V1, NoReg, "ushr v0.2d, v1.2d, #63"},
		{VSshr, true, 0, VecShift(16, 15, true), V0, V1, NoReg, "sshr v0.8h, v1.8h, #15"},
		{VSshr, true, 0, VecShift(64, 1, true), V0, V1, NoReg, "sshr v0.2d, v1.2d, #1"},
		{VShl, true, 0, VecShift(8, 1, false), V0, V1, NoReg, "shl v0.16b, v1.16b, #1"},
		{VShl, true, 0, VecShift(32, 31, false), V0, V1, NoReg, "shl v0.4s, v1.4s, #31"},
		{VMovi2D, true, 0, VecByteMask(0), V3, NoReg, NoReg, "movi v3.2d, #0x0"},
		{VMovi2D, true, 0, VecByteMask(0xff), V3, NoReg, NoReg, "movi v3.2d, #0xffffffffffffffff"},
		{VMovi2D, true, 0, VecByteMask(0x81), V3, NoReg, NoReg, "movi v3.2d, #0xff000000000000ff"},
		{VSmull, false, 1, 0, V0, V1, V2, "smull v0.4s, v1.4h, v2.4h"},
		{VSmull, true, 0, 0, V0, V1, V2, "smull2 v0.8h, v1.16b, v2.16b"},
		{VUmull, true, 2, 0, V0, V1, V2, "umull2 v0.2d, v1.4s, v2.4s"},
		{VUminv, true, 0, 0, V0, V1, NoReg, "uminv b0, v1.16b"},
		{VUminv, true, 2, 0, V0, V1, NoReg, "uminv s0, v1.4s"},
		{VDupElem, true, 0, VecLane(2, 0, 0), V0, V1, NoReg, "dup v0.4s, v1.s[0]"},
		{VDupGen, true, 0, VecLane(0, 0, 0), V0, X1, NoReg, "dup v0.16b, w1"},
		{VDupGen, true, 0, VecLane(3, 0, 0), V0, X1, NoReg, "dup v0.2d, x1"},
		{VSmov, false, 0, VecLane(0, 15, 0), X0, V1, NoReg, "smov w0, v1.b[15]"},
		{VUmov, false, 0, VecLane(1, 7, 0), X0, V1, NoReg, "umov w0, v1.h[7]"},
		{VUmov, false, 0, VecLane(2, 3, 0), X0, V1, NoReg, "mov w0, v1.s[3]"},
		{VUmov, true, 0, VecLane(3, 1, 0), X0, V1, NoReg, "mov x0, v1.d[1]"},
		{VInsGen, true, 0, VecLane(0, 9, 0), V0, X1, NoReg, "mov v0.b[9], w1"},
		{VInsElem, true, 0, VecLane(3, 1, 0), V0, V1, NoReg, "mov v0.d[1], v1.d[0]"},
		{VDupScalar, false, 0, VecLane(2, 3, 0), V0, V1, NoReg, "mov s0, v1.s[3]"},
		{VTbl, true, 0, 0, V0, V1, V2, "tbl v0.16b, {v1.16b}, v2.16b"},
		{VTbx, true, 0, 0, V0, V1, V2, "tbx v0.16b, {v1.16b}, v2.16b"},
	} {
		seen[c.o] = true
		checkGNU(t, VecInst(c.o, c.q, c.size, c.extra, c.d, c.n, c.m), c.text)
	}
	for o := vNone + 1; o < numVecOps; o++ {
		if !seen[o] {
			t.Errorf("row %d (%v) has no case", o, o)
		}
	}
}
