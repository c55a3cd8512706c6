package arm64

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// evalMovs runs a MovImm sequence as arm64asm reads it: it decodes each instruction, parses
// the GNU text (mov, movz, movn, movk, orr with xzr), and returns the value left in rd.
func evalMovs(w Width, rd Reg, insts []Inst) (uint64, error) {
	var v uint64
	for k, i := range insts {
		text, err := decodeGNU(i)
		if err != nil {
			return 0, err
		}
		mnem, rest, _ := strings.Cut(text, " ")
		ops := strings.Split(rest, ", ")
		if ops[0] != rd.Name(w) {
			return 0, fmt.Errorf("%q does not write %s", text, rd.Name(w))
		}
		if mnem == "orr" {
			if ops[1] != XZR.Name(w) {
				return 0, fmt.Errorf("%q does not read zero", text)
			}
			ops = ops[1:]
		}
		imm, err := strconv.ParseUint(strings.TrimPrefix(ops[1], "#0x"), 16, 64)
		if err != nil {
			return 0, fmt.Errorf("%q: %v", text, err)
		}
		shift := uint64(0)
		if len(ops) > 2 {
			if shift, err = strconv.ParseUint(strings.TrimPrefix(ops[2], "lsl #"), 10, 8); err != nil {
				return 0, fmt.Errorf("%q: %v", text, err)
			}
		}
		switch {
		case (mnem == "mov" || mnem == "orr" || mnem == "movz" || mnem == "movn") && k > 0:
			return 0, fmt.Errorf("%q after the first instruction", text)
		case mnem == "mov" || mnem == "orr" || mnem == "movz":
			v = imm << shift
		case mnem == "movn":
			v = ^(imm << shift)
		case mnem == "movk":
			v = v&^(0xFFFF<<shift) | imm<<shift
		default:
			return 0, fmt.Errorf("%q is not a move", text)
		}
		v &= w.mask()
	}
	return v, nil
}

// movLen is the length of the plain MOVZ/MOVN sequence for v: one instruction for each 16-bit
// chunk that is not zero (MOVZ) or not all ones (MOVN), whichever is fewer, at least one.
func movLen(w Width, v uint64) int {
	notZero, notOnes := 0, 0
	for i := range w.Bits() / 16 {
		c := uint16(v >> (16 * i))
		if c != 0 {
			notZero++
		}
		if c != 0xFFFF {
			notOnes++
		}
	}
	return max(1, min(notZero, notOnes))
}

func TestMovImm(t *testing.T) {
	cases := []struct {
		w     Width
		v     uint64
		texts string // the sequence, ";"-separated
	}{
		{W64, 0, "mov x5, #0x0"},
		{W64, 1, "mov x5, #0x1"},
		{W64, 0xffff, "mov x5, #0xffff"},
		{W64, 0x10000, "mov x5, #0x10000"},
		{W64, 0x1234_0000_0000, "mov x5, #0x123400000000"},
		{W64, 0xffffffff, "mov x5, #0xffffffff"},
		{W64, ^uint64(0), "mov x5, #0xffffffffffffffff"},
		{W64, 0xffff_ffff_ffff_1234, "mov x5, #0xffffffffffff1234"},
		{W64, 0xffff_1234_ffff_ffff, "mov x5, #0xffff1234ffffffff"},
		{W64, 0x00ff00ff00ff00ff, "mov x5, #0xff00ff00ff00ff"},
		{W64, 0x5555555555555555, "mov x5, #0x5555555555555555"},
		{W64, 0x12345678, "mov x5, #0x5678; movk x5, #0x1234, lsl #16"},
		{W64, 0xffff_ffff_1234_5678, "mov x5, #0xffffffffffff5678; movk x5, #0x1234, lsl #16"},
		{W64, 0x1234_0000_5678_0000, "mov x5, #0x56780000; movk x5, #0x1234, lsl #48"},
		{W64, 0x00ff00ff_12ff00ff, "mov x5, #0xff00ff00ff00ff; movk x5, #0x12ff, lsl #16"},
		{W64, 0x1234_5678_9abc_def0, "mov x5, #0xdef0; movk x5, #0x9abc, lsl #16; movk x5, #0x5678, lsl #32; movk x5, #0x1234, lsl #48"},
		{W64, 0x8000_0000_0000_0001, "mov x5, #0x8000000000000001"},
		{W32, 0, "mov w5, #0x0"},
		{W32, 0xffffffff, "mov w5, #0xffffffff"},
		{W32, 0xffff_ffff_0000_0001, "mov w5, #0x1"}, // the upper half does not count
		{W32, 0xffff1234, "mov w5, #0xffff1234"},
		{W32, 0xffff0000, "mov w5, #0xffff0000"},
		{W32, 0x0f0f0f0f, "mov w5, #0xf0f0f0f"},
		{W32, 0x12345678, "mov w5, #0x5678; movk w5, #0x1234, lsl #16"},
		{W32, 0x80000001, "mov w5, #0x80000001"},
	}
	for _, c := range cases {
		insts := MovImm(c.w, X5, c.v)
		var texts []string
		for _, i := range insts {
			text, err := decodeGNU(i)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, text)
		}
		if got := strings.Join(texts, "; "); got != c.texts {
			t.Errorf("MovImm(%v, %#x) = %q, want %q", c.w, c.v, got, c.texts)
		}
	}
	// Random values built from chunks that are zero, all ones, repeated or random, so that
	// every path is taken, each checked for its value and against the plain sequence's length.
	rng := rand.New(rand.NewPCG(3, 4))
	bitmasks := validLogicalImms(W64)
	n, lens := 0, map[int]int{}
	for range 20000 {
		var v uint64
		rep := uint64(rng.Uint32() & 0xFFFF)
		for i := range 4 {
			var c uint64
			switch rng.IntN(4) {
			case 0:
			case 1:
				c = 0xFFFF
			case 2:
				c = rep
			default:
				c = uint64(rng.Uint32() & 0xFFFF)
			}
			v |= c << (16 * i)
		}
		if rng.IntN(8) == 0 { // bitmask immediates and their neighbours
			v = bitmasks[rng.IntN(len(bitmasks))] ^ uint64(rng.IntN(2))<<(rng.IntN(64))
		}
		for _, w := range gprWidths {
			r := xregs[rng.IntN(len(xregs))]
			insts := MovImm(w, r, v)
			got, err := evalMovs(w, r, insts)
			want := v & w.mask()
			n++
			lens[len(insts)]++
			switch {
			case err != nil:
				t.Errorf("MovImm(%v, %v, %#x): %v", w, r, v, err)
			case got != want:
				t.Errorf("MovImm(%v, %v, %#x) sets %#x", w, r, v, got)
			case len(insts) > movLen(w, want):
				t.Errorf("MovImm(%v, %#x) takes %d instructions, MOVZ/MOVN %d", w, v, len(insts), movLen(w, want))
			case IsLogicalImm(w, want) && len(insts) > 1:
				t.Errorf("MovImm(%v, %#x) takes %d instructions, ORR one", w, v, len(insts))
			}
		}
	}
	t.Logf("%d random constants checked against arm64asm; sequences by length: %v", n, lens)
	for _, r := range []Reg{SP, XZR, V0} {
		mustPanic(t, "MovImm into "+r.String(), func() { MovImm(W64, r, 1) })
	}
}
