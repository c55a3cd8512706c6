package amd64

import (
	"fmt"
	"strings"
	"testing"
)

// TestVecEncode decodes every row of vecTable with x86asm, in the register form and, where
// it has one, the memory form, with high registers so that the REX bits are exercised.
func TestVecEncode(t *testing.T) {
	for o := VNone + 1; o < numVecOps; o++ {
		v := &vecTable[o]
		imm := ""
		if v.flags&vImm != 0 {
			imm = "$0x5,"
		}
		var i Inst
		var want string
		switch {
		case v.flags&vShift != 0:
			i, want = VecShiftI(o, X9, 5), fmt.Sprintf("%s $0x5,%%xmm9", v.name)
		case v.flags&vGPRDst != 0:
			i, want = VecRR(o, R10, X3, 5), fmt.Sprintf("%s %s%%xmm3,%%r10d", v.name, imm)
		case v.flags&vGPRRM != 0:
			w := "%r10d"
			if v.flags&vRexW != 0 {
				w = "%r10"
			}
			i, want = VecRR(o, X3, R10, 5), fmt.Sprintf("%s %s%s,%%xmm3", v.name, imm, w)
		case v.flags&vRMDst != 0:
			w := "%r10d"
			if v.flags&vRexW != 0 {
				w = "%r10"
			}
			i, want = VecRR(o, R10, X3, 5), fmt.Sprintf("%s %s%%xmm3,%s", v.name, imm, w)
		default:
			i, want = VecRR(o, X3, X12, 5), fmt.Sprintf("%s %s%%xmm12,%%xmm3", v.name, imm)
		}
		if o == Cmpps || o == Cmppd {
			// x86asm names the predicate: 5 is "not less than".
			want = strings.Replace(want, "cmpp", "cmpnltp", 1)
			want = strings.Replace(want, "$0x5,", "", 1)
		}
		checkVec(t, o, i, want)
		if v.flags&(vShift|vGPRDst|vRegOnly) != 0 {
			continue
		}
		m := Mem{Base: R13, Index: RCX, Scale: 4, Disp: 8}
		want = fmt.Sprintf("%s %s0x8(%%r13,%%rcx,4),%%xmm11", v.name, imm)
		if v.flags&vRMDst != 0 {
			want = fmt.Sprintf("%s %s%%xmm11,0x8(%%r13,%%rcx,4)", v.name, imm)
		}
		if o == Cmpps || o == Cmppd {
			want = strings.Replace(want, "cmpp", "cmpnltp", 1)
			want = strings.Replace(want, "$0x5,", "", 1)
		}
		checkVec(t, o, VecRM(o, X11, m, 5), want)
	}
	checkVec(t, VNone, MovqMR(Mem{Base: RAX}, X9), "movq %xmm9,(%rax)")
	checkVec(t, VNone, MovdMR(Mem{Base: R8, Disp: 4}, X1), "movd %xmm1,0x4(%r8)")
}

// checkVec compares x86asm's text with want.
func checkVec(t *testing.T, o VecOp, i Inst, want string) {
	t.Helper()
	got, err := decodeGNU(i.Bytes())
	if err != nil {
		t.Errorf("%v: %v", o, err)
		return
	}
	if got != want {
		t.Errorf("%v: % x: x86asm says %q, want %q", o, i.Bytes(), got, want)
	}
}
