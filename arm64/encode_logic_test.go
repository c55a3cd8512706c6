package arm64

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// decodeBitMasks is the Arm ARM's shared pseudocode function DecodeBitMasks for the logical
// immediates (immediate = TRUE), transcribed independently of LogicalImm: the w-bit mask that
// N:immr:imms stands for, and false for the reserved encodings.
//
//	len = HighestSetBit(N:NOT(imms)); if len < 1 then UNDEFINED
//	levels = ZeroExtend(Ones(len), 6)
//	if (imms AND levels) == levels then UNDEFINED
//	S = UInt(imms AND levels); R = UInt(immr AND levels); esize = 1 << len
//	welem = ZeroExtend(Ones(S + 1), esize); wmask = Replicate(ROR(welem, R))
func decodeBitMasks(w Width, n, immr, imms uint32) (uint64, bool) {
	if w == W32 && n != 0 {
		return 0, false // sf == 0 && N != 0: reserved
	}
	length := bits.Len32(n<<6|^imms&0x3F) - 1
	if length < 1 {
		return 0, false
	}
	levels := uint32(1)<<length - 1
	if imms&levels == levels {
		return 0, false
	}
	s, r, esize := imms&levels, immr&levels, uint(1)<<length
	welem := uint64(1)<<(s+1) - 1
	emask := ^uint64(0) >> (64 - esize)
	elem := (welem>>r | welem<<(esize-uint(r))) & emask // ROR within esize bits
	var v uint64
	for i := uint(0); i < uint(w.Bits()); i += esize {
		v |= elem << i
	}
	return v, true
}

// validLogicalImms returns every w-bit bitmask immediate, sorted, from all 2^13 encodings.
func validLogicalImms(w Width) []uint64 {
	seen := map[uint64]bool{}
	for n := range uint32(2) {
		for immr := range uint32(64) {
			for imms := range uint32(64) {
				if v, ok := decodeBitMasks(w, n, immr, imms); ok {
					seen[v] = true
				}
			}
		}
	}
	var vs []uint64
	for v := range seen {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	return vs
}

// TestLogicalImmExhaustive round-trips every bitmask immediate of both widths: LogicalImm
// must accept it with the canonical encoding (immr below the element size), the pseudocode
// must decode that encoding to the same value, and arm64asm must print AND with it. Every
// value one bit flip or ±1 away from a valid one is checked too, and must be accepted
// exactly when it is valid.
func TestLogicalImmExhaustive(t *testing.T) {
	s := sweep{t: t}
	for _, c := range []struct {
		w     Width
		count int
	}{{W32, 1302}, {W64, 5334}} { // the sum of e(e-1) over the element sizes e
		vs := validLogicalImms(c.w)
		if len(vs) != c.count {
			t.Errorf("%v: %d bitmask immediates, want %d", c.w, len(vs), c.count)
		}
		valid := map[uint64]bool{}
		for _, v := range vs {
			valid[v] = true
		}
		for _, v := range vs {
			n, immr, imms, ok := LogicalImm(c.w, v)
			if !ok {
				t.Errorf("%v: LogicalImm(%#x) rejects a bitmask immediate", c.w, v)
				continue
			}
			if got, ok := decodeBitMasks(c.w, n, immr, imms); !ok || got != v {
				t.Errorf("%v: LogicalImm(%#x) = %d:%d:%d, which decodes to %#x, %v", c.w, v, n, immr, imms, got, ok)
			}
			length := bits.Len32(n<<6|^imms&0x3F) - 1
			if immr >= 1<<length {
				t.Errorf("%v: LogicalImm(%#x) rotation %d not below element size %d", c.w, v, immr, 1<<length)
			}
			s.check(AndImm(c.w, X0, X1, v), fmt.Sprintf("and %s, %s, #%#x", X0.Name(c.w), X1.Name(c.w), v))
			s.check(TstImm(c.w, X2, v), fmt.Sprintf("tst %s, #%#x", X2.Name(c.w), v))
			// Neighbours: flips, ±1, complement.
			near := []uint64{v + 1, v - 1, ^v}
			for b := range c.w.Bits() {
				near = append(near, v^1<<b)
			}
			for _, x := range near {
				x &= c.w.mask()
				if got := IsLogicalImm(c.w, x); got != valid[x] {
					t.Errorf("%v: IsLogicalImm(%#x) = %v, want %v", c.w, x, got, valid[x])
				}
			}
		}
		// Random values, nearly all invalid, and the two values never valid.
		rng := rand.New(rand.NewPCG(1, uint64(c.w)))
		for range 100000 {
			x := rng.Uint64() & c.w.mask()
			if got := IsLogicalImm(c.w, x); got != valid[x] {
				t.Errorf("%v: IsLogicalImm(%#x) = %v, want %v", c.w, x, got, valid[x])
			}
		}
		if IsLogicalImm(c.w, 0) || IsLogicalImm(c.w, c.w.mask()) {
			t.Errorf("%v: 0 or all ones accepted", c.w)
		}
	}
	// At W32 only the low 32 bits count.
	for _, v := range validLogicalImms(W32) {
		if !IsLogicalImm(W32, v|0xdead<<32) {
			t.Errorf("W32: %#x with upper bits set rejected", v)
		}
	}
	s.done()
}

// mask returns the w-bit mask.
func (w Width) mask() uint64 { return ^uint64(0) >> (64 - w.Bits()) }
