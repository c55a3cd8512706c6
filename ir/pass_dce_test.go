package ir

import "testing"

// TestDCELinear counts the branch targets DCE reads to mark what live parameters are
// passed, on a brtable over n blocks whose two parameters are live, at two sizes: the
// reads per block must not grow with n. Reading every target of each predecessor once
// per live parameter read the whole table for each of the n blocks' parameters: 98 reads
// a block at 50 blocks, 798 at 400; now 2, one per parameter.
func TestDCELinear(t *testing.T) {
	checkTargetsReadLinear(t, "DCE", dce, func(f *Func, blocks int) {
		for _, b := range f.Layout[1 : blocks-1] { // the default block has none
			if len(f.Blocks[b].Params) != 2 {
				t.Fatalf("%s has %d parameters after DCE, want its 2 live ones", b, len(f.Blocks[b].Params))
			}
		}
	})
}
