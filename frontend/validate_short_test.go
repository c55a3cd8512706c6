package frontend

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

// TestValidateShortMatches validates every body of the large Go module, and bodies made
// from them by changing bytes at random, with short and with shortChecks cleared, so
// that every instruction goes through ReadInstr, fast and instr: the same verdict and
// the same error.
func TestValidateShortMatches(t *testing.T) {
	m := decodeLarge(t)
	mv := newModuleValidator(m)
	rng := rand.New(rand.NewSource(1))
	var fastV, slowV codeValidator
	fastV.mod, slowV.mod = mv, mv
	nimp := len(mv.funcs) - len(m.Codes)
	failed := 0
	for i := range m.Codes {
		orig := m.Codes[i]
		ft := &m.Types[mv.funcs[nimp+i]]
		for k := range 5 {
			c := orig
			if k > 0 {
				c.Body = slices.Clone(orig.Body)
				for range 1 + rng.Intn(3) {
					c.Body[rng.Intn(len(c.Body))] = byte(rng.Intn(256))
				}
			}
			got := fastV.function(nimp+i, &c, ft)
			saved := shortChecks
			shortChecks = [256]bool{}
			want := slowV.function(nimp+i, &c, ft)
			shortChecks = saved
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("body %d (%d): short gives %v, reading every instruction %v", i, k, got, want)
			}
			if got != nil {
				failed++
			}
		}
	}
	t.Logf("%d bodies, %d invalid", 5*len(m.Codes), failed)
	// An if without an else ends as short leaves to instr, followed by enough bytes for
	// short to read it: invalid with a result, valid without.
	for _, body := range [][]byte{
		{0x41, 0x01, 0x04, 0x7F, 0x41, 0x01, 0x0B, 0x1A, 0x01, 0x01, 0x01, 0x0B},
		{0x41, 0x01, 0x04, 0x40, 0x01, 0x0B, 0x01, 0x01, 0x01, 0x0B},
		{0x02, 0x7F, 0x41, 0x01, 0x0B, 0x1A, 0x01, 0x01, 0x01, 0x0B},
		{0x02, 0x7F, 0x0B, 0x1A, 0x01, 0x01, 0x01, 0x0B},
		{0x03, 0x40, 0x41, 0x01, 0x0B, 0x01, 0x01, 0x01, 0x0B},
	} {
		c := Code{Body: body}
		ft := &FuncType{}
		got := fastV.function(0, &c, ft)
		saved := shortChecks
		shortChecks = [256]bool{}
		want := slowV.function(0, &c, ft)
		shortChecks = saved
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("% x: short gives %v, reading every instruction %v", body, got, want)
		}
	}
}
