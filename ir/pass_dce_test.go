package ir

import "testing"

// TestDCELinear counts the branch targets DCE reads to mark what live parameters are
// passed, on a brtable over n blocks whose two parameters are live, at two sizes: the
// reads per block must not grow with n. Reading every target of each predecessor once
// per live parameter read the whole table for each of the n blocks' parameters: 98 reads
// a block at 50 blocks, 798 at 400; now 2, one per parameter.
func TestDCELinear(t *testing.T) {
	var per [2]float64
	for i, n := range []int{50, 400} {
		m, err := Parse(wideDispatch(n, 2))
		if err != nil {
			t.Fatal(err)
		}
		f := m.Funcs[0]
		blocks := len(f.Layout)
		visits := dce(f)
		if errs := Verify(f); len(errs) > 0 {
			t.Fatalf("after DCE: %s", errorLines(errs))
		}
		for _, b := range f.Layout[1 : blocks-1] { // the default block has none
			if len(f.Blocks[b].Params) != 2 {
				t.Fatalf("%s has %d parameters after DCE, want its 2 live ones", b, len(f.Blocks[b].Params))
			}
		}
		per[i] = float64(visits) / float64(blocks)
		t.Logf("%d blocks: %d targets read, %.1f a block", blocks, visits, per[i])
	}
	if per[1] > per[0]*1.2 {
		t.Errorf("DCE read %.1f targets a block on the larger function, %.1f on the smaller", per[1], per[0])
	}
}
