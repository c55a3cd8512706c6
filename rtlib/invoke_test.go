package rtlib_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/rtlib"
)

// The value types of wasmc_invoke_arg and wasmc_invoke_result (WASMC_INVOKE_* in wasmc.h).
const (
	typeI32 = iota
	typeI64
	typeF32
	typeF64
)

var typeNames = []string{"i32", "i64", "f32", "f64"}

// stackAddr is where argStack maps the fake initial process stack, and stringsAddr the
// strings it points to.
const (
	stackAddr   = 0x7ffd_0000_0000
	stringsAddr = 0x7ffe_0000_0000
)

// argStack maps a fake initial process stack as Linux leaves it for process entry: argc,
// the argv pointers, a NULL, an empty environment (a NULL). The strings follow one another
// in one region that ends with the last one's NUL, so reading past it faults. It returns
// the stack pointer.
func (h *host) argStack(args []string) uint64 {
	words := h.mapRegion(stackAddr, 8*(len(args)+3))
	binary.LittleEndian.PutUint64(words, uint64(len(args)))
	size := 0
	for _, a := range args {
		size += len(a) + 1
	}
	strs := h.mapRegion(stringsAddr, size)
	at := 0
	for i, a := range args {
		binary.LittleEndian.PutUint64(words[8+8*i:], stringsAddr+uint64(at))
		at += copy(strs[at:], a) + 1
	}
	return stackAddr
}

// newInvoke instantiates the runtime and gives it a command line.
func newInvoke(t *testing.T, args ...string) (*ir.Instance, *host) {
	t.Helper()
	inst, h := newRuntime(t)
	if _, err := inst.Invoke("wasmc_args_init", []ir.Val{ir.I64Val(int64(h.argStack(args)))}); err != nil {
		t.Fatalf("wasmc_args_init: %v", err)
	}
	return inst, h
}

// invokeArg calls wasmc_invoke_arg(i, typ).
func invokeArg(inst *ir.Instance, i, typ int) (uint64, error) {
	res, err := inst.Invoke("wasmc_invoke_arg", []ir.Val{ir.I32Val(int32(i)), ir.I32Val(int32(typ))})
	if err != nil {
		return 0, err
	}
	return res[0].Bits, nil
}

// invokeResult calls wasmc_invoke_result(typ, bits) and returns the line it wrote, which
// must go out in one write.
func invokeResult(t *testing.T, inst *ir.Instance, h *host, typ int, bits uint64) string {
	t.Helper()
	h.stdout = nil
	if _, err := inst.Invoke("wasmc_invoke_result", []ir.Val{ir.I32Val(int32(typ)), ir.I64Val(int64(bits))}); err != nil {
		t.Fatalf("wasmc_invoke_result(%s, %#x): %v", typeNames[typ], bits, err)
	}
	if len(h.stdout) != 1 || !strings.HasSuffix(string(h.stdout[0]), "\n") {
		t.Fatalf("wasmc_invoke_result(%s, %#x) wrote %q, want one line in one write", typeNames[typ], bits, h.stdout)
	}
	return strings.TrimSuffix(string(h.stdout[0]), "\n")
}

// wantExit2 checks that err is the process exiting with status 2 after writing line, in
// one write, to stderr.
func wantExit2(t *testing.T, h *host, what string, err error, line string) {
	t.Helper()
	var exit *exitError
	if !errors.As(err, &exit) || exit.status != 2 {
		t.Errorf("%s: ended with %v, want exit 2", what, err)
	}
	if string(h.stderr) != line {
		t.Errorf("%s: wrote %q to stderr, want %q", what, h.stderr, line)
	}
	writes := 0
	for _, c := range h.calls {
		if c.nr == rtlib.SysWrite && c.args[0] == 2 {
			writes++
		}
	}
	if writes != 1 {
		t.Errorf("%s: %d writes to stderr, want 1", what, writes)
	}
	h.stderr, h.calls = nil, nil
}

func TestInvokeArgc(t *testing.T) {
	for _, args := range [][]string{nil, {"prog"}, {"prog", "1"}, {"./a.out", "1", "", "x y"}} {
		inst, _ := newInvoke(t, args...)
		res, err := inst.Invoke("wasmc_invoke_argc", nil)
		if want := max(len(args)-1, 0); err != nil || int(int32(res[0].Bits)) != want {
			t.Errorf("command line %q: wasmc_invoke_argc = %v, %v; want %d", args, res, err, want)
		}
	}
}

// TestInvokeNoStack checks that a stack pointer that cannot be one (0, or not 8-aligned)
// reads as an empty command line rather than faulting.
func TestInvokeNoStack(t *testing.T) {
	for _, sp := range []int64{0, stackAddr + 4} {
		inst, h := newRuntime(t)
		h.argStack([]string{"./prog", "1"})
		if _, err := inst.Invoke("wasmc_args_init", []ir.Val{ir.I64Val(sp)}); err != nil {
			t.Fatalf("wasmc_args_init(%#x): %v", sp, err)
		}
		if res, err := inst.Invoke("wasmc_invoke_argc", nil); err != nil || res[0].Bits != 0 {
			t.Errorf("stack pointer %#x: wasmc_invoke_argc = %v, %v; want 0", sp, res, err)
		}
		_, err := inst.Invoke("wasmc_invoke_usage", []ir.Val{ir.I32Val(1)})
		wantExit2(t, h, fmt.Sprintf("usage with stack pointer %#x", sp), err, "wasmc: the export takes 1 arguments, the command line has 0\n")
	}
}

// TestInvokeShortWrites makes stdout and stderr take 3 bytes at a time: lines must still
// arrive whole.
func TestInvokeShortWrites(t *testing.T) {
	inst, h := newInvoke(t, "./prog", "x")
	h.writeMax = 3
	for _, r := range []struct {
		typ  int
		bits uint64
	}{{typeI64, 1<<63 + 1}, {typeF64, 0x3fb999999999999a}, {typeF32, 0xff800000}} {
		if _, err := inst.Invoke("wasmc_invoke_result", []ir.Val{ir.I32Val(int32(r.typ)), ir.I64Val(int64(r.bits))}); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := string(bytes.Join(h.stdout, nil)), "-9223372036854775807\n0.1\n-inf\n"; got != want {
		t.Errorf("with short writes, wrote %q to stdout, want %q", got, want)
	}
	_, err := invokeArg(inst, 0, typeI32)
	var exit *exitError
	if want := "./prog: argument 1: cannot parse \"x\" as i32\n"; !errors.As(err, &exit) || string(h.stderr) != want {
		t.Errorf("with short writes, ended with %v and wrote %q to stderr, want %q", err, h.stderr, want)
	}
}

func TestInvokeUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int32
		line string
	}{
		{[]string{"./add", "1"}, 2, "./add: the export takes 2 arguments, the command line has 1\n"},
		{[]string{"/bin/f", "1", "2", "3"}, 0, "/bin/f: the export takes 0 arguments, the command line has 3\n"},
		{nil, 1, "wasmc: the export takes 1 arguments, the command line has 0\n"},
		{[]string{""}, 1, ": the export takes 1 arguments, the command line has 0\n"},
		{[]string{strings.Repeat("p", 5000), "1"}, 3, strings.Repeat("p", 4096) + "...: the export takes 3 arguments, the command line has 1\n"},
	} {
		inst, h := newInvoke(t, tc.args...)
		_, err := inst.Invoke("wasmc_invoke_usage", []ir.Val{ir.I32Val(tc.want)})
		wantExit2(t, h, fmt.Sprintf("usage(%d) for %.20q", tc.want, tc.args), err, tc.line)
	}
}

// parseCase is an argument and the bits it must parse to, or the error it must give.
type parseCase struct {
	text string
	typ  int
	bits uint64
	bad  bool
}

func TestInvokeParseInt(t *testing.T) {
	ok := func(text string, typ int, bits uint64) parseCase { return parseCase{text, typ, bits, false} }
	bad := func(text string, typ int) parseCase { return parseCase{text: text, typ: typ, bad: true} }
	cases := []parseCase{
		ok("0", typeI32, 0), ok("-0", typeI32, 0), ok("+7", typeI32, 7), ok("42", typeI32, 42),
		ok("-1", typeI32, 0xffffffff), ok("-2147483648", typeI32, 0x80000000),
		ok("2147483647", typeI32, 0x7fffffff), ok("2147483648", typeI32, 0x80000000),
		ok("4294967295", typeI32, 0xffffffff), ok("0x0", typeI32, 0), ok("0xffffffff", typeI32, 0xffffffff),
		ok("0XdeadBEEF", typeI32, 0xdeadbeef), ok("-0x80000000", typeI32, 0x80000000), ok("-0x1", typeI32, 0xffffffff),
		ok("000000000000000000000000000012", typeI32, 12), ok("0x0000000000000000000000001", typeI32, 1),
		bad("4294967296", typeI32), bad("-2147483649", typeI32), bad("0x100000000", typeI32),
		bad("-0x80000001", typeI32), bad("99999999999999999999999", typeI32),
		ok("0", typeI64, 0), ok("-1", typeI64, 1<<64-1), ok("-9223372036854775808", typeI64, 1<<63),
		ok("9223372036854775807", typeI64, 1<<63-1), ok("9223372036854775808", typeI64, 1<<63),
		ok("18446744073709551615", typeI64, 1<<64-1), ok("0xffffffffffffffff", typeI64, 1<<64-1),
		ok("-0x8000000000000000", typeI64, 1<<63), ok("4294967296", typeI64, 1<<32), ok("0x123456789abcdef0", typeI64, 0x123456789abcdef0),
		bad("18446744073709551616", typeI64), bad("-9223372036854775809", typeI64), bad("0x10000000000000000", typeI64),
		bad("184467440737095516150", typeI64),
	}
	for _, typ := range []int{typeI32, typeI64} {
		for _, s := range []string{"", "1x", "--1", "+-1", "0x", "-0x", "-", "+", " 1", "1 ", "1_000", "1.0", "1e3", "0b1", "0x1g", "x1", "١"} {
			cases = append(cases, bad(s, typ))
		}
	}
	runParseCases(t, cases)
}

// runParseCases gives the cases' texts as one command line and parses each, in a fresh
// runtime after an error (an exit leaves the runtime's stack pointer where it was).
func runParseCases(t *testing.T, cases []parseCase) {
	t.Helper()
	args := []string{"./prog"}
	for _, c := range cases {
		args = append(args, c.text)
	}
	inst, h := newInvoke(t, args...)
	for i, c := range cases {
		got, err := invokeArg(inst, i, c.typ)
		what := fmt.Sprintf("%s argument %q", typeNames[c.typ], c.text)
		if c.bad {
			wantExit2(t, h, what, err, fmt.Sprintf("./prog: argument %d: cannot parse %q as %s\n", i+1, c.text, typeNames[c.typ]))
			inst, h = newInvoke(t, args...)
		} else if err != nil || got != c.bits {
			t.Errorf("%s: got %#x, %v; want %#x", what, got, err, c.bits)
		}
	}
}

func TestInvokeErrors(t *testing.T) {
	inst, h := newInvoke(t, "./prog", "1", "1x", strings.Repeat("7", 5000))
	_, err := invokeArg(inst, 1, typeF64)
	wantExit2(t, h, "f64 argument 1x", err, "./prog: argument 2: cannot parse \"1x\" as f64\n")

	// An argument longer than the runtime reads is malformed, not a hang.
	inst, h = newInvoke(t, "./prog", "1", "1x", strings.Repeat("7", 5000))
	_, err = invokeArg(inst, 2, typeI64)
	wantExit2(t, h, "a 5000-byte argument", err, "./prog: argument 3: cannot parse \""+strings.Repeat("7", 4096)+"...\" as i64\n")

	// One exactly as long as the runtime reads is fine.
	inst, _ = newInvoke(t, "./prog", strings.Repeat("0", 4095)+"7", "0.1"+strings.Repeat("0", 4093))
	if got, err := invokeArg(inst, 0, typeI32); err != nil || got != 7 {
		t.Errorf("a 4096-byte i32 argument: got %v, %v; want 7", got, err)
	}
	if got, err := invokeArg(inst, 1, typeF64); err != nil || got != 0x3fb999999999999a {
		t.Errorf("a 4096-byte f64 argument: got %#x, %v; want 0x3fb999999999999a", got, err)
	}

	inst, h = newInvoke(t, "./prog", "1")
	_, err = invokeArg(inst, 1, typeI32)
	wantExit2(t, h, "argument 2 of 1", err, "./prog: argument 2 is missing\n")

	// No command line at all: the program is called wasmc.
	inst, h = newInvoke(t)
	_, err = invokeArg(inst, 0, typeF32)
	wantExit2(t, h, "no command line", err, "wasmc: argument 1 is missing\n")

	// A type the compiler should never pass.
	inst, _ = newInvoke(t, "./prog", "1")
	var trap *ir.Trap
	if _, err = invokeArg(inst, 0, 4); !errors.As(err, &trap) || trap.Code != ir.TrapUnreachable {
		t.Errorf("type 4: %v, want trap unreachable", err)
	}
}

// goFloat is s rounded to a float of the given width (32 or 64) as Go does it: by
// strconv.ParseFloat, and where s is too long for ParseFloat (it miscounts the digits of an
// integer part beyond the 800th: 1, 800 zeros and e-800 read as 0.1), by big.Rat's exact
// rounding.
func goFloat(s string, width int) uint64 {
	if len(s) > 800 {
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			panic("big.Rat cannot read " + s)
		}
		if width == 32 {
			f, _ := r.Float32()
			return uint64(math.Float32bits(f))
		}
		f, _ := r.Float64()
		return math.Float64bits(f)
	}
	f, err := strconv.ParseFloat(s, width)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		panic(err)
	}
	if width == 32 {
		return uint64(math.Float32bits(float32(f)))
	}
	return math.Float64bits(f)
}

// goParseCases are s parsed as f32 and as f64 by Go.
func goParseCases(ss ...string) []parseCase {
	var cases []parseCase
	for _, s := range ss {
		cases = append(cases, parseCase{text: s, typ: typeF32, bits: goFloat(s, 32)}, parseCase{text: s, typ: typeF64, bits: goFloat(s, 64)})
	}
	return cases
}

// exactDecimal is the exact decimal expansion of x * 2^exp.
func exactDecimal(x *big.Int, exp int) string {
	r := new(big.Rat).SetInt(x)
	if exp >= 0 {
		r.Mul(r, new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), uint(exp))))
		return r.FloatString(0)
	}
	r.Quo(r, new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), uint(-exp))))
	return r.FloatString(-exp)
}

// halfway returns the exact decimal of the point halfway between the finite float with
// bits b and the next one up, in a format of p significand bits whose least exponent is
// emin, and the same a hair above and below (a digit beyond the 1500th place).
func halfway(b uint64, p, emin int) []string {
	mant, exp := b&(1<<(p-1)-1), int(b>>(p-1))
	e := emin
	if exp > 0 {
		mant |= 1 << (p - 1)
		e += exp - 1
	}
	m := new(big.Int).SetUint64(2*mant + 1) // (2q+1) * 2^(e-1)
	s := exactDecimal(m, e-1)
	if !strings.Contains(s, ".") {
		s += "."
	}
	for len(s) < 1500 {
		s += "0"
	}
	below := new(big.Rat)
	below.SetString(s)
	below.Sub(below, new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(1600), nil)))
	return []string{s, s + "1", below.FloatString(1600)}
}

func TestInvokeParseFloat(t *testing.T) {
	cases := goParseCases(
		"0", "-0", "+0", "0.0", "00000.00000e99999", "0e-99999", "1", "-1", "+1", "0.1", "-0.1", "1.5", "-2.5e-3", ".5", "5.", "1.e5", ".5E-1",
		"1e23", "8.98846567431158e307", "9007199254740993", "9007199254740992.5", "9007199254740993.0000000000000000000000000001",
		"2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308", "2.225073858507201136057409796709131975934819546351645648e-308",
		"4.9e-324", "5e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "2.47032822920623272e-324", "1e-324", "3e-324",
		"1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999",
		"1e308", "1e309", "-1e309", "1e-400", "-1e-400", "1e400000000", "1e-400000000", "4e-320", "123456789e-330",
		"1.00000017881393432617187499", "1.000000178813934326171875", "1.00000017881393432617187501", "1.00000005960464477539062499", "1.000000059604644775390625",
		"3.4028235677973366e38", "3.4028235677973362e38", "3.4028234663852886e38", "3.40282356779733661637539395458142568447e38", "3.4028236e38",
		"7.038531e-26", "1.401298464324817e-45", "7.006492321624085e-46", "7.006492321624086e-46", "1e-45", "1.1754943508222875e-38", "1.1754942e-38",
		"16777217", "16777216.000000001", "33554435", "0.3", "2.5", "3.5", "1e22", "1e-7", "123456789012345678901234567890",
		"6.9294956446009195e15", "3.0540412e5", "1.0000000000000002220446049250313080847263336181640625", "1.00000000000000011102230246251565404236316680908203125",
		"1.00000000000000011102230246251565404236316680908203124", "1.00000000000000011102230246251565404236316680908203126",
		"0.000000000000000000000000000000000000000000001", "100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
		"1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890e-50",
		"9999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999e-100",
		"0."+strings.Repeat("0", 300)+"1"+strings.Repeat("9", 700), strings.Repeat("1", 800)+"e-1100", strings.Repeat("98765", 200)+"e-1300",
		strings.Repeat("3", 4000)+"e-3700", "1"+strings.Repeat("0", 4000)+"e-4000", "0."+strings.Repeat("0", 4000)+"1e4000",
		// The largest numbers the conversion makes: the most digits it keeps, at the least
		// and the greatest magnitude it computes rather than calls 0 or infinite.
		strings.Repeat("9", 4000)+"e-4326", strings.Repeat("9", 4000)+"e-4325", strings.Repeat("9", 4000)+"e-3690",
		strings.Repeat("1", 4000)+"e-4326", strings.Repeat("1", 4000)+"e-3691", "0."+strings.Repeat("123456789", 100)+"e-326",
		strings.Repeat("9", 4000)+"e-4047", strings.Repeat("9", 4000)+"e-3960", strings.Repeat("1", 4000)+"e-4046", "1e-326", "1e310", "9e309", "1e-47", "1e40",
	)
	for _, b := range []uint64{0, 1, 2, 1<<52 - 1, 1 << 52, 0x3ff0000000000000, 0x4340000000000000, 0x7fefffffffffffff, 0x3fb999999999999a, 0x7fe0000000000000, 0x0010000000000001} {
		cases = append(cases, goParseCases(halfway(b, 53, -1074)...)...)
	}
	for _, b := range []uint64{0, 1, 1<<23 - 1, 1 << 23, 0x3f800000, 0x7f7fffff, 0x3dcccccd} {
		cases = append(cases, goParseCases(halfway(b, 24, -149)...)...)
	}
	for _, c := range cases {
		if len(c.text) > 4096 {
			t.Fatalf("case %.30q... is longer than an argument may be", c.text)
		}
	}
	runParseCases(t, cases)
}

// hexCases are hexadecimal floats, which Go reads only with an exponent.
func hexCases(ss ...string) []parseCase {
	var cases []parseCase
	for _, s := range ss {
		g := s
		if !strings.ContainsAny(s, "pP") {
			g += "p0"
		}
		cases = append(cases, parseCase{text: s, typ: typeF32, bits: goFloat(g, 32)}, parseCase{text: s, typ: typeF64, bits: goFloat(g, 64)})
	}
	return cases
}

// TestInvokeParseSpecial checks infinities, NaNs, hexadecimal floats and malformed floats.
func TestInvokeParseSpecial(t *testing.T) {
	ok := func(text string, typ int, bits uint64) parseCase { return parseCase{text, typ, bits, false} }
	bad := func(text string, typ int) parseCase { return parseCase{text: text, typ: typ, bad: true} }
	cases := []parseCase{
		ok("inf", typeF32, 0x7f800000), ok("-inf", typeF32, 0xff800000), ok("+infinity", typeF32, 0x7f800000), ok("INF", typeF32, 0x7f800000),
		ok("inf", typeF64, 0x7ff0000000000000), ok("-Infinity", typeF64, 0xfff0000000000000),
		ok("nan", typeF32, 0x7fc00000), ok("-nan", typeF32, 0xffc00000), ok("NaN", typeF64, 0x7ff8000000000000), ok("-nan", typeF64, 0xfff8000000000000),
		ok("nan:0x1", typeF32, 0x7f800001), ok("-nan:0x7fffff", typeF32, 0xffffffff), ok("nan:0x400000", typeF32, 0x7fc00000), ok("nan:0x00200000", typeF32, 0x7fa00000),
		ok("nan:0x1", typeF64, 0x7ff0000000000001), ok("+nan:0xfffffffffffff", typeF64, 0x7fffffffffffffff), ok("-nan:0x4000000000000", typeF64, 0xfff4000000000000),
		ok("nan:0x7fffff", typeF64, 0x7ff00000007fffff),
		bad("nan:0x800000", typeF32), bad("nan:0x10000000000000", typeF64), bad("nan:0x0", typeF32), bad("nan:0x", typeF64), bad("nan:1", typeF64),
		bad("nan:0x1g", typeF32), bad("nan:", typeF32), bad("nanx", typeF32), bad("infinit", typeF64), bad("infinityy", typeF64), bad("--inf", typeF64),
	}
	for _, typ := range []int{typeF32, typeF64} {
		for _, s := range []string{"", "1x", "--1", "+-1", "-", "+", ".", "-.", "e5", ".e5", "1e", "1e+", "1e-", "1e5.", "1.2.3", "1..2", " 1", "1 ", "1_0", "0x", "0x.", "0xp1", "0x1p", "0x1p+", "0x1.2.3", "0x1g", "0x1e+5", "1,5", "1e5e5", "١"} {
			cases = append(cases, bad(s, typ))
		}
	}
	cases = append(cases, hexCases(
		"0x1.8p+3", "0x1.8P3", "-0x1p-1", "0x10", "0x.8", "0x1.", "0xA.bCp-2", "0x1e", "0x0", "-0x0p0", "0x0.000000000000000000000000000000000000000000001p0",
		"0x1p-1074", "0x1p-1075", "0x1.0000000000001p-1075", "0x1.8p-1074", "0x1p-1076", "0x1p-149", "0x1p-150", "0x1.000002p-150", "0x1.8p-149",
		"0x1.fffffffffffff8p1023", "0x1.fffffffffffff7ffffffffffffffffffffffffffffp1023", "0x1.fffffffffffffp1023", "0x1p1024", "0x1p99999999", "0x1p-99999999",
		"0x1.ffffffp127", "0x1.fffffefffffffffffp127", "0x1.fffffep127", "0x1.000001p0", "0x1.0000010000000000000000000000000000000000001p0", "0x1.0000030p0",
		"0x1.00000000000008p0", "0x1.000000000000080000000000000000000000000000000000000000000001p0", "0x1.00000000000018p0",
		"0x"+strings.Repeat("f", 300), "0x"+strings.Repeat("0", 300)+"1p-1200", "0x123456789abcdef0123456789p-500",
	)...)
	runParseCases(t, cases)
}

// goFormat is how wasmc_invoke_result must write the float of the given width with these
// bits: as strconv.FormatFloat(x, 'g', -1, width), but with the wasm text format's
// spellings of infinities and NaNs.
func goFormat(bits uint64, width int) string {
	mantBits := map[int]uint{32: 23, 64: 52}[width]
	exp := bits >> mantBits & (1<<(width-1-int(mantBits)) - 1)
	mant := bits & (1<<mantBits - 1)
	sign := ""
	if bits>>(width-1)&1 != 0 {
		sign = "-"
	}
	switch {
	case exp == 1<<(width-1-int(mantBits))-1 && mant == 0:
		return sign + "inf"
	case exp == 1<<(width-1-int(mantBits))-1 && mant == 1<<(mantBits-1):
		return sign + "nan"
	case exp == 1<<(width-1-int(mantBits))-1:
		return sign + "nan:0x" + strconv.FormatUint(mant, 16)
	case width == 32:
		return strconv.FormatFloat(float64(math.Float32frombits(uint32(bits))), 'g', -1, 32)
	}
	return strconv.FormatFloat(math.Float64frombits(bits), 'g', -1, 64)
}

func TestInvokeResultInts(t *testing.T) {
	inst, h := newInvoke(t, "./prog")
	for _, tc := range []struct {
		typ  int
		bits uint64
		want string
	}{
		{typeI32, 0, "0"}, {typeI32, 42, "42"}, {typeI32, 0xffffffff, "-1"}, {typeI32, 0x80000000, "-2147483648"},
		{typeI32, 0x7fffffff, "2147483647"}, {typeI32, 0xdeadbeef_00000007, "7"}, {typeI32, 0xffffffff_fffffff6, "-10"},
		{typeI64, 0, "0"}, {typeI64, 1<<64 - 1, "-1"}, {typeI64, 1 << 63, "-9223372036854775808"},
		{typeI64, 1<<63 - 1, "9223372036854775807"}, {typeI64, 0xffffffff, "4294967295"}, {typeI64, 1e18, "1000000000000000000"},
	} {
		if got := invokeResult(t, inst, h, tc.typ, tc.bits); got != tc.want {
			t.Errorf("%s %#x: wrote %q, want %q", typeNames[tc.typ], tc.bits, got, tc.want)
		}
	}
	if len(h.stderr) != 0 {
		t.Errorf("wrote %q to stderr", h.stderr)
	}
}

func TestInvokeResultSpecial(t *testing.T) {
	inst, h := newInvoke(t, "./prog")
	for _, tc := range []struct {
		typ  int
		bits uint64
		want string
	}{
		{typeF32, 0, "0"}, {typeF32, 0x80000000, "-0"}, {typeF32, 0x7f800000, "inf"}, {typeF32, 0xff800000, "-inf"},
		{typeF32, 0x7fc00000, "nan"}, {typeF32, 0xffc00000, "-nan"}, {typeF32, 0x7f800001, "nan:0x1"}, {typeF32, 0xffa00000, "-nan:0x200000"},
		{typeF32, 0x7fffffff, "nan:0x7fffff"}, {typeF32, 0xffffffff_3fc00000, "1.5"}, {typeF32, 1, "1e-45"}, {typeF32, 0x7f7fffff, "3.4028235e+38"},
		{typeF64, 0, "0"}, {typeF64, 1 << 63, "-0"}, {typeF64, 0x7ff0000000000000, "inf"}, {typeF64, 0xfff0000000000000, "-inf"},
		{typeF64, 0x7ff8000000000000, "nan"}, {typeF64, 0xfff8000000000000, "-nan"}, {typeF64, 0x7ff0000000000001, "nan:0x1"},
		{typeF64, 0xfff4000000000000, "-nan:0x4000000000000"}, {typeF64, 0x7fffffffffffffff, "nan:0xfffffffffffff"},
		{typeF64, 1, "5e-324"}, {typeF64, 0x7fefffffffffffff, "1.7976931348623157e+308"}, {typeF64, 0x3fb999999999999a, "0.1"},
		{typeF64, 0x4060e80000000000, "135.25"}, {typeF64, 0xbff8000000000000, "-1.5"}, {typeF64, 0x44b52d02c7e14af6, "1e+23"},
	} {
		if got := invokeResult(t, inst, h, tc.typ, tc.bits); got != tc.want {
			t.Errorf("%s %#x: wrote %q, want %q", typeNames[tc.typ], tc.bits, got, tc.want)
		}
		if got := goFormat(tc.bits&(1<<(32*(tc.typ-1))-1), 32*(tc.typ-1)); got != tc.want {
			t.Errorf("%s %#x: the test's goFormat gives %q, want %q", typeNames[tc.typ], tc.bits, got, tc.want)
		}
	}
}

// checkFormat prints each of bits as a float of the given width and compares with goFormat.
func checkFormat(t *testing.T, inst *ir.Instance, h *host, width int, bits []uint64) {
	t.Helper()
	typ := map[int]int{32: typeF32, 64: typeF64}[width]
	fails := 0
	for _, b := range bits {
		if got, want := invokeResult(t, inst, h, typ, b), goFormat(b, width); got != want {
			t.Errorf("f%d %#x: wrote %q, want %q", width, b, got, want)
			if fails++; fails == 20 {
				t.Fatal("too many failures")
			}
		}
	}
}

func TestInvokeResultFloats(t *testing.T) {
	inst, h := newInvoke(t, "./prog")
	var b32, b64 []uint64
	for _, s := range []string{
		"0.1", "0.2", "0.3", "1e23", "9007199254740993", "2.2250738585072011e-308", "2.2250738585072014e-308", "4.9e-324", "1e-323",
		"1.7976931348623157e308", "1.00000017881393432617187499", "3.4028235677973366e38", "7.038531e-26", "1.1754943508222875e-38",
		"1e15", "1e16", "1e17", "1e21", "1e22", "123456", "1234567", "0.0001", "0.00001", "0.000123", "100000", "999999", "999999.9",
		"1000000000000000.25", "1000000000000000.75", "9007199254740991", "5e-324", "1.5e-10", "2.5", "0.5", "1e-4", "9.999999e-5",
		"3.14159265358979323846", "2.718281828459045", "6.02214076e23", "1.602176634e-19", "1.401298464324817e-45", "8388608.5", "16777216",
		"4.294967296e9", "1.8446744073709552e19", "8.5", "0.000099999", "1e-7", "123456789", "3e10", "2.9802322387695312e-8",
	} {
		b32 = append(b32, goFloat(s, 32), goFloat("-"+s, 32))
		b64 = append(b64, goFloat(s, 64), goFloat("-"+s, 64))
	}
	for e := range 64 {
		b64 = append(b64, math.Float64bits(math.Ldexp(1, e*33-1074)), math.Float64bits(math.Pow10(e*10-320)), math.Float64bits(math.Pow10(e*10-320))+1)
		b32 = append(b32, uint64(math.Float32bits(float32(math.Ldexp(1, e*4-149)))), uint64(math.Float32bits(float32(math.Pow10(e-45)))))
	}
	for _, b := range []uint64{0x0010000000000000, 0x000fffffffffffff, 0x0020000000000000, 0x7fe0000000000000, 0x3ff0000000000001, 0x3fefffffffffffff} {
		b64 = append(b64, b)
	}
	for _, b := range []uint64{0x00800000, 0x007fffff, 0x01000000, 0x7f000000, 0x3f800001, 0x3f7fffff, 2, 3} {
		b32 = append(b32, b)
	}
	checkFormat(t, inst, h, 32, b32)
	checkFormat(t, inst, h, 64, b64)
}

// TestInvokeResultRandom prints random bit patterns of both widths, and random short
// decimals, whose shortest digits are few.
func TestInvokeResultRandom(t *testing.T) {
	inst, h := newInvoke(t, "./prog")
	rng := rand.New(rand.NewPCG(1, 2))
	n := 10000
	if testing.Short() {
		n = 1000
	}
	var b32, b64 []uint64
	for range n {
		b32 = append(b32, uint64(rng.Uint32()))
		b64 = append(b64, rng.Uint64())
		s := strconv.Itoa(rng.IntN(1000000)) + "e" + strconv.Itoa(rng.IntN(80)-50)
		b32 = append(b32, goFloat(s, 32))
		s = strconv.Itoa(rng.IntN(1000000)) + "e" + strconv.Itoa(rng.IntN(660)-340)
		b64 = append(b64, goFloat(s, 64))
	}
	checkFormat(t, inst, h, 32, b32)
	checkFormat(t, inst, h, 64, b64)
}

// randomDecimal returns a random decimal number: up to 20 digits (now and then up to 120)
// with a point anywhere or none, and usually an exponent in [lo, hi].
func randomDecimal(rng *rand.Rand, lo, hi int) string {
	var b strings.Builder
	switch rng.IntN(4) {
	case 0:
		b.WriteByte('-')
	case 1:
		b.WriteByte('+')
	}
	nd := 1 + rng.IntN(20)
	if rng.IntN(10) == 0 {
		nd = 1 + rng.IntN(120)
	}
	point := rng.IntN(nd+2) - 1
	for i := range nd {
		if i == point {
			b.WriteByte('.')
		}
		b.WriteByte(byte('0' + rng.IntN(10)))
	}
	if point == nd {
		b.WriteByte('.')
	}
	if rng.IntN(8) != 0 {
		b.WriteString([]string{"e", "E"}[rng.IntN(2)])
		b.WriteString(strconv.Itoa(lo + rng.IntN(hi-lo+1)))
	}
	return b.String()
}

// nearHalfway returns a decimal within a few units of its last digit, which is one of the
// 15th to 40th, of the point halfway between the float with bits b and the next one up.
func nearHalfway(rng *rand.Rand, b uint64, p, emin int) string {
	s := halfway(b, p, emin)[0]
	intPart, frac, _ := strings.Cut(s, ".")
	all := strings.TrimLeft(intPart+frac, "0")
	dp := len(intPart) - (len(intPart+frac) - len(all)) // the point's place in all
	k := min(15+rng.IntN(26), len(all))
	digits := all[:k]
	switch rng.IntN(3) {
	case 0: // the truncation, at or a hair below
	case 1: // a hair above
		digits += "1"
	case 2: // a unit of the last digit away
		d := new(big.Int)
		d.SetString(digits, 10)
		d.Add(d, big.NewInt(int64(rng.IntN(5)-2)))
		digits = d.String()
		dp += len(digits) - k
	}
	return "0." + digits + "e" + strconv.Itoa(dp)
}

// TestInvokeParseRandom parses random decimals of both widths, and decimals near the
// points where rounding changes, and compares with Go.
func TestInvokeParseRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 1500
	if testing.Short() {
		n = 200
	}
	var cases []parseCase
	for range n {
		s := randomDecimal(rng, -340, 320)
		cases = append(cases, parseCase{text: s, typ: typeF64, bits: goFloat(s, 64)})
		s = randomDecimal(rng, -50, 45)
		cases = append(cases, parseCase{text: s, typ: typeF32, bits: goFloat(s, 32)})
	}
	for range n / 3 {
		b := rng.Uint64N(0x7ff0000000000000)
		s := nearHalfway(rng, b, 53, -1074)
		cases = append(cases, parseCase{text: s, typ: typeF64, bits: goFloat(s, 64)})
		b = rng.Uint64N(0x7f800000)
		s = nearHalfway(rng, b, 24, -149)
		cases = append(cases, parseCase{text: s, typ: typeF32, bits: goFloat(s, 32)})
	}
	runParseCases(t, cases)
}

// TestHeaderInvokeTypes checks that wasmc.h numbers the value types as this test does.
func TestHeaderInvokeTypes(t *testing.T) {
	h := defines(t, "WASMC_INVOKE_")
	if len(h) != len(typeNames) {
		t.Errorf("wasmc.h defines %d invoke types, want %d", len(h), len(typeNames))
	}
	for i, name := range typeNames {
		if v, ok := h[name]; !ok || v != i {
			t.Errorf("wasmc.h: WASMC_INVOKE_%s is %d (defined %v), want %d", name, v, ok, i)
		}
	}
}
