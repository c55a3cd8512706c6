package amd64

import (
	"fmt"
	"testing"
)

// TestSweepBMI checks the x86-64-v3 scalar instructions (encode_bmi.go) for every register
// triple at both widths against x86asm: the VEX prefix's inverted R, B and vvvv fields are
// easy to get wrong for one register half and right for the other.
func TestSweepBMI(t *testing.T) {
	s := sweep{t: t}
	three := []struct {
		mnem string
		f    func(Width, Reg, Reg, Reg) Inst
	}{{"shlx", ShlxRR}, {"shrx", ShrxRR}, {"sarx", SarxRR}, {"andn", AndnRR}}
	for _, w := range []Width{W32, W64} {
		for _, d := range gprs {
			for _, a := range gprs {
				for _, b := range gprs {
					for _, f := range three {
						// AT&T order reverses Intel's: shlx d, src, count is "shlxl count,src,d";
						// andn d, a, b is "andnl b,a,d" (x86asm adds the size suffix).
						s.check(f.f(w, d, a, b), fmt.Sprintf("%s%s %s,%s,%s", f.mnem, suffix(w), gnuReg(b, w), gnuReg(a, w), gnuReg(d, w)))
					}
				}
				for _, n := range []uint8{1, 7, uint8(w.Bits() - 1)} {
					s.check(RorxRI(w, d, a, n), fmt.Sprintf("rorx%s $0x%x,%s,%s", suffix(w), n, gnuReg(a, w), gnuReg(d, w)))
				}
			}
		}
	}
	s.done()
}
