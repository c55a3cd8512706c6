package backend

import (
	"fmt"
	"slices"
	"testing"

	"github.com/wasmc/wasmc/ir"
)

// TestLayOutBrTableEdges: a brtable's targets become one edge per distinct target and
// arguments, in the order of their first use, and EdgeOf maps every target to its edge;
// past eight targets LayOutBlocks finds repeats through chains of the edges by target,
// which must not mix two brtables' edges to the same block.
func TestLayOutBrTableEdges(t *testing.T) {
	m, err := ir.Parse(`func $f(i32, i32) {
b0(v0:i32, v1:i32):
    brtable v0, [b1, b2(v0), b1, b2(v1), b2(v0), b3, b1, b2(v1), b3, b1, b2(v0)], default b4
b1:
    brtable v1, [b2(v0), b1, b3, b2(v1), b2(v0), b1, b3, b3, b1, b2(v1)], default b2(v0)
b2(v2:i32):
    return
b3:
    return
b4:
    return
}
`)
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	lay, _ := LayOutBlocks(f, false, nil)
	for _, c := range []struct {
		b     ir.BlockID
		edges []string
		of    []int32
	}{
		{0, []string{"b1()", "b2(v0)", "b2(v1)", "b3()", "b4()"}, []int32{0, 1, 0, 2, 1, 3, 0, 2, 3, 0, 1, 4}},
		{1, []string{"b2(v0)", "b1()", "b3()", "b2(v1)"}, []int32{0, 1, 2, 3, 0, 1, 2, 2, 1, 3, 0}},
	} {
		var got []string
		for _, e := range lay.Edges(c.b) {
			s := fmt.Sprintf("b%d(", e.Target)
			for i, a := range e.Args {
				if i > 0 {
					s += ","
				}
				s += fmt.Sprintf("v%d", a)
			}
			got = append(got, s+")")
		}
		if !slices.Equal(got, c.edges) {
			t.Errorf("b%d's edges %v, want %v", c.b, got, c.edges)
		}
		if of := lay.EdgeOf(c.b); !slices.Equal(of, c.of) {
			t.Errorf("b%d's EdgeOf %v, want %v", c.b, of, c.of)
		}
	}
}
