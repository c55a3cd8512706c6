package arm64

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// vec encodes opVec: the row in.vop over the visible registers, d, n and m in that order.
func (e *emitter) vec(in *inst) {
	var r [3]Reg
	copy(r[:], in.regs[:in.nvis])
	e.a.Emit(VecInst(in.vop, in.vq, uint32(in.vsz), uint32(in.imm), r[0], r[1], r[2]))
}

// printVec prints opVec as its row's mnemonic with the arrangement its Q and size give
// (add.4s), and the extra fields in hex when it has any.
func (f *mfunc) printVec(in *inst, _ int) []string {
	mn := in.vop.String()
	if vecTable[in.vop].sized {
		q := 0
		if in.vq {
			q = 1
		}
		arr := [...]string{"8b", "16b", "4h", "8h", "2s", "4s", "1d", "2d"}[int(in.vsz&3)*2+q]
		if strings.HasPrefix(mn, "f") || strings.HasSuffix(mn, "cvtf") {
			arr = [...]string{"2s", "4s", "1d", "2d"}[int(in.vsz&1)*2+q]
		}
		mn += "." + arr
	} else if in.vq {
		mn += ".q"
	}
	if in.vop == VOrr && in.nvis == 3 && in.regs != nil && in.regs[1] == in.regs[2] {
		// A move (finish.go), printed as a copy is.
		return []string{"orr.q " + f.opnd(in, 0, W128) + ", " + f.opnd(in, 1, W128)}
	}
	var ops []string
	for k := 0; k < int(in.nvis); k++ {
		w := W128
		if !f.isV(in, k) {
			w = W64
			if !in.vq {
				w = W32
			}
		}
		ops = append(ops, f.opnd(in, k, w))
	}
	switch in.vop {
	case VDupElem, VSmov, VUmov, VDupScalar:
		ops[1] += laneName(in.imm, 0)
	case VInsGen:
		ops[0] += laneName(in.imm, 0)
	case VInsElem:
		ops[0] += laneName(in.imm, 0)
		ops[1] += laneName(in.imm, 1)
	case VDupGen:
		mn += "." + laneName(in.imm, 0)[1:2]
	case VSshll, VUshll, VShl, VUshr, VSshr:
		// immh:immb is the lane width plus the count, or twice the width less it.
		imm7 := int(in.imm>>16) & 0x7F
		esize := 8 << (bits.Len(uint(imm7>>3)) - 1)
		n := imm7 - esize
		if in.vop == VUshr || in.vop == VSshr {
			n = 2*esize - imm7
		}
		mn += fmt.Sprintf(".%d", esize)
		ops = append(ops, "#"+strconv.Itoa(n))
	case VMovi2D:
		var x uint64
		m := uint8(in.imm>>16)<<5 | uint8(in.imm>>5)&31
		for i := range 8 {
			if m>>i&1 != 0 {
				x |= 0xff << (8 * i)
			}
		}
		ops = append(ops, "#0x"+strconv.FormatUint(x, 16))
	}
	return []string{mn + " " + strings.Join(ops, ", ")}
}

// laneName is the lane a copy row's imm5 (k 0) or imm4 (k 1) names: ".s[2]".
func laneName(extra int64, k int) string {
	imm5 := uint32(extra>>16) & 31
	size := bits.TrailingZeros32(imm5)
	i := imm5 >> (size + 1)
	if k == 1 {
		i = uint32(extra>>11) & 15 >> size
	}
	return fmt.Sprintf(".%c[%d]", "bhsd"[size], i)
}
