package isatest

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
)

// fgen writes one function whose results are every value it computes: one call checks many
// ops at once, and the many results exercise the stack words of multi-value returns.
type fgen struct {
	b       strings.Builder
	n       int
	results []string
	rtypes  []string
}

// val defines a value and returns its name.
func (g *fgen) val(t, rhs string) string {
	v := fmt.Sprintf("v%d", g.n)
	fmt.Fprintf(&g.b, "    %s:%s = %s\n", v, t, rhs)
	g.n++
	return v
}

// res defines a value that is also a result.
func (g *fgen) res(t, rhs string) string {
	v := g.val(t, rhs)
	g.results = append(g.results, v)
	g.rtypes = append(g.rtypes, t)
	return v
}

func (g *fgen) text(name string, params ...string) string {
	var ps []string
	for i, p := range params {
		ps = append(ps, fmt.Sprintf("v%d:%s", i, p))
	}
	return fmt.Sprintf("func $%s(%s) -> %s {\nb0(%s):\n%s    return %s\n}\n", name, strings.Join(params, ", "),
		strings.Join(g.rtypes, ", "), strings.Join(ps, ", "), g.b.String(), strings.Join(g.results, ", "))
}

// intOps computes every integer op of type t on (v0, v1), with register and immediate forms.
func intOps(t string) string {
	g := &fgen{n: 2}
	for _, op := range []string{"iadd", "isub", "imul", "iand", "ior", "ixor", "ishl", "ushr", "sshr", "rotl", "rotr"} {
		g.res(t, op+" v0, v1")
		g.res(t, op+" v1, v0")
	}
	for _, op := range []string{"clz", "ctz", "popcnt", "extend8", "extend16"} {
		g.res(t, op+" v0")
	}
	g.res("i32", "eqz v0")
	for _, cc := range []string{"eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge"} {
		g.res("i32", "icmp "+cc+" v0, v1")
	}
	c := func(x string) string { return g.val(t, "iconst "+x) }
	k5, km3, k7, k12, k8, kff, kffff, k100, k42, kbig := c("5"), c("-3"), c("7"), c("12"), c("8"), c("255"), c("65535"), c("100"), c("42"), c("0x12345")
	zero, m1 := c("0"), c("-1")
	g.res(t, "iadd v0, "+k5)
	g.res(t, "iadd "+km3+", v0")
	g.res(t, "isub v0, "+k7)
	g.res(t, "isub "+zero+", v0")
	g.res(t, "isub "+k100+", v0")
	g.res(t, "imul v0, "+k12)
	g.res(t, "imul "+k8+", v0")
	g.res(t, "iand v0, "+kff)
	g.res(t, "iand v0, "+kffff)
	g.res(t, "ior v0, "+kbig)
	g.res(t, "ixor v0, "+m1)
	g.res(t, "ishl v0, "+c("3"))
	g.res(t, "ushr v0, "+c("33"))
	g.res(t, "sshr v0, "+c("1"))
	g.res(t, "rotl v0, "+c("13"))
	g.res(t, "rotr v0, "+k100)
	g.res(t, "ishl "+k42+", v1")
	g.res("i32", "icmp slt v0, "+k100)
	g.res("i32", "icmp ugt "+k5+", v0")
	g.res("i32", "icmp eq v0, "+zero)
	g.res("i32", "icmp sge v1, "+m1)
	lt := g.val("i32", "icmp slt v0, v1")
	g.res(t, "select "+lt+", v0, v1")
	c0 := "v0"
	if t == "i64" {
		c0 = g.val("i32", "wrap v0")
	}
	g.res(t, "select "+c0+", "+k42+", v1")
	ne := g.val("i32", "icmp ne v1, "+k7)
	g.res(t, "select "+ne+", v1, "+k42)
	if t == "i64" {
		g.res("i64", "extend32 v0")
		g.res("i64", "iand v0, "+c("0xffffffff"))
		g.res("i64", "iadd v0, "+c("0x100000000"))
		w := g.res("i32", "wrap v0")
		g.res("i64", "sext "+w)
		g.res("i64", "zext "+w)
	}
	return g.text("ops", t, t)
}

var (
	i32Pairs = [][2]int32{{0, 0}, {1, 2}, {-1, 1}, {math.MinInt32, -1}, {math.MaxInt32, 31}, {0x12345678, 5},
		{-100, 63}, {7, 64}, {5, 100}, {-7, -7}, {0x00ff00ff, 0x7f}}
	i64Pairs = [][2]int64{{0, 0}, {1, 2}, {-1, 1}, {math.MinInt64, -1}, {math.MaxInt64, 63}, {0x123456789abcdef, 5},
		{-100, 127}, {7, 64}, {1 << 40, 100}, {-7, -7}, {0xffffffff, 0x80000000}}
)

func execIntOps(t *testing.T, h *Harness) {
	h.RequireNative(t)
	t.Run("i32", func(t *testing.T) {
		src := Module(intOps("i32"), "ops")
		for _, p := range i32Pairs {
			h.RunDiff(t, src, Call("ops", I32(p[0]), I32(p[1])))
		}
	})
	t.Run("i64", func(t *testing.T) {
		src := Module(intOps("i64"), "ops")
		for _, p := range i64Pairs {
			h.RunDiff(t, src, Call("ops", I64(p[0]), I64(p[1])))
		}
	})
}

// divSrc is division as the frontend lowers it: explicit traps before each op. rem_s has no
// overflow check: MIN srem -1 is 0.
const divSrc = `
func $div_s(T, T) -> T {
b0(v0:T, v1:T):
    v2:i32 = eqz v1
    trapif v2, int_divide_by_zero
    v3:T = iconst MIN
    v4:i32 = icmp eq v0, v3
    v5:T = iconst -1
    v6:i32 = icmp eq v1, v5
    v7:i32 = iand v4, v6
    trapif v7, int_overflow
    v8:T = sdiv v0, v1
    return v8
}

func $div_u(T, T) -> T {
b0(v0:T, v1:T):
    v2:i32 = eqz v1
    trapif v2, int_divide_by_zero
    v3:T = udiv v0, v1
    return v3
}

func $rem_s(T, T) -> T {
b0(v0:T, v1:T):
    v2:i32 = eqz v1
    trapif v2, int_divide_by_zero
    v3:T = srem v0, v1
    return v3
}

func $rem_u(T, T) -> T {
b0(v0:T, v1:T):
    v2:i32 = eqz v1
    trapif v2, int_divide_by_zero
    v3:T = urem v0, v1
    return v3
}

func $by_const(T) -> T, T, T, T, T, T {
b0(v0:T):
    v1:T = iconst 7
    v2:T = iconst -1
    v3:T = sdiv v0, v1
    v4:T = udiv v0, v1
    v5:T = srem v0, v1
    v6:T = urem v0, v1
    v7:T = srem v0, v2
    v8:T = udiv v1, v1
    return v3, v4, v5, v6, v7, v8
}
`

func execDiv(t *testing.T, h *Harness) {
	h.RequireNative(t)
	for _, tc := range []struct {
		t, min string
		val    func(int64) ir.Val
	}{
		{"i32", "-2147483648", func(x int64) ir.Val { return I32(int32(x)) }},
		{"i64", "-9223372036854775808", func(x int64) ir.Val { return I64(x) }},
	} {
		t.Run(tc.t, func(t *testing.T) {
			src := strings.NewReplacer("T", tc.t, "MIN", tc.min).Replace(divSrc)
			src = Module(src, "div_s", "div_u", "rem_s", "rem_u", "by_const")
			min := int64(math.MinInt32)
			if tc.t == "i64" {
				min = math.MinInt64
			}
			pairs := [][2]int64{{7, 2}, {-7, 2}, {7, -2}, {-7, -2}, {0, 5}, {5, 0}, {min, -1}, {min, 1}, {-1, -1}, {min, min}, {12345678, 1000}}
			for _, p := range pairs {
				for _, f := range []string{"div_s", "div_u", "rem_s", "rem_u"} {
					h.RunDiff(t, src, Call(f, tc.val(p[0]), tc.val(p[1])))
				}
			}
			for _, x := range []int64{0, 1, -1, 100, -100, min, -min - 1} {
				h.RunDiff(t, src, Call("by_const", tc.val(x)))
			}
		})
	}
}
