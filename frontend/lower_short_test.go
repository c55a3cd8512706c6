package frontend

import "testing"

// TestLowerShortMatchesInstr lowers the large Go module as it is, with short taking
// the commonest short forms from their bytes, and with shortLowers cleared, so that
// every instruction goes through ReadInstr and instr: the IR must be the same.
func TestLowerShortMatchesInstr(t *testing.T) {
	m := decodeLarge(t)
	fast, err := Lower(m)
	if err != nil {
		t.Fatal(err)
	}
	saved := shortLowers
	shortLowers = [0x100]shortLower{}
	slow, err := Lower(m)
	shortLowers = saved
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range fast.Funcs {
		if got, want := f.String(), slow.Funcs[i].String(); got != want {
			t.Fatalf("$%s lowers otherwise from its bytes:\n%s\nthrough instr:\n%s", f.Name, got, want)
		}
	}
}
