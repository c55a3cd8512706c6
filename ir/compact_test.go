package ir

import (
	"fmt"
	"strings"
	"testing"
)

// compactSrc is a function of n nested ifs on a constant, which fold away, followed by
// eight ifs on its parameter, which stay: most of its slots die, so SimplifyCFG
// compacts it.
func compactSrc(n int) string {
	var b strings.Builder
	v := 3 // the next value number
	b.WriteString("export \"f\" func $f\nfunc $f(i32) -> i32 {\nb0(v0:i32):\n    v1:i32 = iconst 0\n    v2:i32 = iconst 1\n    jump b1(v2)\n")
	// b1..bn: "if 0", whose arm b(n+i) is dead, passing the sum on.
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "b%d(v%d:i32):\n    brif v1, b%d, b%d(v%d)\n", i, v, n+1+i, i+1, v)
		v++
	}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "b%d:\n    trap unreachable\n", n+1+i)
	}
	// b(n+1), then b(2n+2)..: eight ifs on bits of the parameter, each of whose arms
	// adds a different amount.
	fmt.Fprintf(&b, "b%d(v%d:i32):\n    jump b%d(v%d)\n", n+1, v, 2*n+2, v)
	v++
	blk := 2*n + 2
	for i := range 8 {
		sum, bit, cond, more := v, v+1, v+2, v+3
		v += 4
		fmt.Fprintf(&b, "b%d(v%d:i32):\n    v%d:i32 = iconst %d\n    v%d:i32 = iand v0, v%d\n    v%d:i32 = iadd v%d, v%d\n    brif v%d, b%d(v%d), b%d(v%d)\n",
			blk, sum, bit, 1<<i, cond, bit, more, sum, bit, cond, blk+1, more, blk+1, sum)
		blk++
	}
	fmt.Fprintf(&b, "b%d(v%d:i32):\n    return v%d\n}\n", blk, v, v)
	return b.String()
}

// TestCompact checks that a function whose lowered body mostly folds away loses the dead
// slots, and computes what it did before.
func TestCompact(t *testing.T) {
	src := compactSrc(3000)
	orig, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	opt, _ := Parse(src)
	f := opt.Funcs[0]
	before := len(f.Instrs)
	for _, p := range []Pass{{"fold", Fold}, {"copyprop", CopyProp}, {"simplifycfg", SimplifyCFG}} {
		if err := runPass(f, p, Config{Verify: true}); err != nil {
			t.Fatal(err)
		}
	}
	live := 0
	for _, b := range f.Layout {
		live += len(f.Blocks[b].Instrs)
	}
	if len(f.Instrs) != live || len(f.Blocks) != len(f.Layout) || before < compactMin {
		t.Fatalf("%d instruction slots (%d before) for %d listed, %d block slots for %d laid out; want no dead slots",
			len(f.Instrs), before, live, len(f.Blocks), len(f.Layout))
	}
	io, err1 := Instantiate(orig, nil, InterpConfig{})
	ip, err2 := Instantiate(opt, nil, InterpConfig{})
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	for _, x := range []uint64{0, 1, 5, 0x80, 0xff} {
		args := []Val{{Type: I32, Bits: x}}
		want, err1 := io.Invoke("f", args)
		got, err2 := ip.Invoke("f", args)
		if err1 != nil || err2 != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("f(%d) = %v, %v after compaction; want %v, %v", x, got, err2, want, err1)
		}
	}
}

// TestCompactSmall checks that a function below compactMin keeps its numbering.
func TestCompactSmall(t *testing.T) {
	m, err := Parse(compactSrc(10))
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	n := len(f.Blocks)
	for _, p := range []Pass{{"fold", Fold}, {"simplifycfg", SimplifyCFG}} {
		if err := runPass(f, p, Config{Verify: true}); err != nil {
			t.Fatal(err)
		}
	}
	if len(f.Blocks) != n {
		t.Fatalf("%d block slots after simplifycfg, want the %d of before", len(f.Blocks), n)
	}
}
