package wast

import (
	endian "encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
	"github.com/wasmc/wasmc/ir"
)

// result is what executing one command showed, whichever executor ran it.
type result struct {
	values []ir.Val // of an invoke or get; references as hostRef, nativeFuncRef or *ir.FuncInst
	// err is why the command did not simply complete: an *ir.Trap when it trapped, an
	// *ir.LinkError when its module did not link, an *unsupported when this level cannot
	// run it (a skip), an *instantiationError when its module failed to instantiate, and
	// otherwise what kept it from running.
	err error
}

// unsupported marks a command that needs what is not implemented yet (SIMD): a skip,
// never a pass or a failure.
type unsupported struct{ why string }

func (e *unsupported) Error() string { return e.why }

// instantiationError is a module that loaded but did not instantiate.
type instantiationError struct{ err error }

func (e *instantiationError) Error() string { return "instantiation: " + describe(e.err) }
func (e *instantiationError) Unwrap() error { return e.err }

// describe says what an error is, a trap as "trap: MESSAGE".
func describe(err error) string {
	if trap, ok := err.(*ir.Trap); ok {
		return "trap: " + trap.Code.Message()
	}
	return err.Error()
}

// judge decides a command that needs execution from what executing it showed. It is the one
// place where a script's expectations are compared with what happened.
func judge(c *wat.Command, res result) (outcome, string) {
	what := commandName(c)
	err := res.err
	var ue *unsupported
	if errors.As(err, &ue) {
		return skipped, ""
	}
	switch c.Kind {
	case wat.CmdAssertReturn:
		if err != nil {
			return failed, what + ": " + describe(err)
		}
		if !matchAll(res.values, c.Expected) {
			return failed, fmt.Sprintf("%s: got %s, want %s", what, formatValues(res.values), formatExpected(c.Expected))
		}
		return passed, ""
	case wat.CmdAssertTrap, wat.CmdAssertExhaustion, wat.CmdAssertUninstantiable:
		return expectTrap(err, c.Text, what)
	case wat.CmdAssertUnlinkable:
		var le *ir.LinkError
		switch {
		case errors.As(err, &le):
			return passed, ""
		case err == nil:
			return failed, fmt.Sprintf("assert_unlinkable (%q): module linked", c.Text)
		}
		return failed, fmt.Sprintf("assert_unlinkable (%q): %v", c.Text, describe(err))
	}
	// module, register, invoke and get: they must complete.
	if err != nil {
		return failed, what + ": " + describe(err)
	}
	return passed, ""
}

// expectTrap checks that err is a trap whose message is the expected one. The spec's
// messages are sometimes longer or shorter than ours ("integer overflow" against
// "integer overflow in truncation"), so either may contain the other as a prefix.
func expectTrap(err error, want, what string) (outcome, string) {
	var trap *ir.Trap
	switch {
	case err == nil:
		return failed, fmt.Sprintf("%s: no trap, want %q", what, want)
	case !errors.As(err, &trap):
		return failed, fmt.Sprintf("%s: want trap %q, got error %v", what, want, describe(err))
	}
	got := trap.Code.Message()
	if got == "" || !strings.Contains(got, want) && !strings.HasPrefix(want, got) {
		return failed, fmt.Sprintf("%s: trap %q, want %q", what, got, want)
	}
	return passed, ""
}

// commandName names a command in messages: "assert_return add".
func commandName(c *wat.Command) string {
	name := map[wat.CommandKind]string{
		wat.CmdModule: "module", wat.CmdRegister: "register", wat.CmdAction: "action",
		wat.CmdAssertReturn: "assert_return", wat.CmdAssertTrap: "assert_trap",
		wat.CmdAssertExhaustion: "assert_exhaustion", wat.CmdAssertUninstantiable: "assert_uninstantiable",
		wat.CmdAssertUnlinkable: "assert_unlinkable",
	}[c.Kind]
	if c.Action != nil {
		name += " " + c.Action.Name
	}
	return name
}

// needsSIMD reports whether a command expects v128 values, which native executables of a
// target that selects no vector ops (driver.SelectsSIMD) cannot produce; both linux
// targets select them all.
func needsSIMD(c *wat.Command) bool {
	for _, e := range c.Expected {
		if e.Type == frontend.V128 {
			return true
		}
	}
	return false
}

// simdArgs reports whether an action passes v128 arguments.
func simdArgs(a *wat.Action) bool {
	for _, v := range a.Args {
		if v.Type == frontend.V128 {
			return true
		}
	}
	return false
}

// hostRef is the host value of (ref.extern N), in results of either executor.
type hostRef uint32

// nativeFuncRef is a non-null funcref seen from outside the executable: its descriptor's
// address.
type nativeFuncRef uint64

// irType is the IR type of a script's value type.
func irType(t frontend.ValType) ir.Type {
	switch t {
	case frontend.I32:
		return ir.I32
	case frontend.I64:
		return ir.I64
	case frontend.F32:
		return ir.F32
	case frontend.F64:
		return ir.F64
	case frontend.V128:
		return ir.V128
	case frontend.FuncRef:
		return ir.FuncRef
	}
	return ir.ExternRef
}

// matchAll compares results with expectations.
func matchAll(got []ir.Val, want []wat.Expected) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !match(got[i], want[i]) {
			return false
		}
	}
	return true
}

// match compares a result with an expectation bit for bit, NaN patterns aside.
func match(got ir.Val, want wat.Expected) bool {
	switch want.Type {
	case frontend.I32, frontend.F32:
		if want.Type == frontend.F32 && want.NaN != wat.NaNNone {
			return nanMatches(got.Bits&0xFFFFFFFF, want.NaN, 32)
		}
		return uint32(got.Bits) == uint32(want.Bits)
	case frontend.I64, frontend.F64:
		if want.Type == frontend.F64 && want.NaN != wat.NaNNone {
			return nanMatches(got.Bits, want.NaN, 64)
		}
		return got.Bits == want.Bits
	case frontend.V128:
		return got.Type == ir.V128 && matchV128(got, want)
	case frontend.FuncRef, frontend.ExternRef:
		null := isNullRef(got.Ref)
		switch {
		case want.Null:
			return null
		case want.AnyRef || want.Type == frontend.FuncRef:
			return !null
		}
		r, ok := got.Ref.(hostRef)
		return ok && uint32(r) == want.Ref
	}
	return false
}

// matchV128 compares a v128 result lane by lane in the shape the script wrote, so that
// a float lane may match a NaN pattern; the other lanes compare bit for bit.
func matchV128(got ir.Val, want wat.Expected) bool {
	var b [16]byte
	endian.LittleEndian.PutUint64(b[:8], got.Bits)
	endian.LittleEndian.PutUint64(b[8:], got.Hi)
	if want.LaneNaN == nil {
		return b == want.V128
	}
	w := want.Shape.LaneBytes()
	for i := range want.Shape.Lanes() {
		lane := b[i*w : (i+1)*w]
		if i < len(want.LaneNaN) && want.LaneNaN[i] != wat.NaNNone {
			var x uint64
			for j := w - 1; j >= 0; j-- {
				x = x<<8 | uint64(lane[j])
			}
			if !nanMatches(x, want.LaneNaN[i], 8*w) {
				return false
			}
		} else if string(lane) != string(want.V128[i*w:(i+1)*w]) {
			return false
		}
	}
	return true
}

func isNullRef(r any) bool {
	if r == nil {
		return true
	}
	if f, ok := r.(*ir.FuncInst); ok {
		return f == nil
	}
	return false
}

// nanMatches checks a float's bits against nan:canonical (only the top payload bit set) or
// nan:arithmetic (the top payload bit set, anything else free).
func nanMatches(bits uint64, k wat.NaNKind, size int) bool {
	var exp, quiet, payload uint64
	if size == 32 {
		exp, quiet, payload = 0x7F800000, 0x00400000, 0x007FFFFF
	} else {
		exp, quiet, payload = 0x7FF0000000000000, 0x0008000000000000, 0x000FFFFFFFFFFFFF
	}
	if bits&exp != exp || bits&quiet == 0 {
		return false
	}
	if k == wat.NaNCanonical {
		return bits&payload == quiet
	}
	return true
}

func formatValues(vs []ir.Val) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = formatValue(v)
	}
	return "[" + strings.Join(s, " ") + "]"
}

func formatValue(v ir.Val) string {
	switch v.Type {
	case ir.I32:
		return fmt.Sprintf("i32:%d", int32(v.Bits))
	case ir.I64:
		return fmt.Sprintf("i64:%d", int64(v.Bits))
	case ir.F32:
		return fmt.Sprintf("f32:%v(0x%08x)", math.Float32frombits(uint32(v.Bits)), uint32(v.Bits))
	case ir.F64:
		return fmt.Sprintf("f64:%v(0x%016x)", math.Float64frombits(v.Bits), v.Bits)
	case ir.V128:
		return fmt.Sprintf("v128:0x%016x%016x", v.Hi, v.Bits)
	}
	if isNullRef(v.Ref) {
		return v.Type.String() + ":null"
	}
	return fmt.Sprintf("%s:%v", v.Type, v.Ref)
}

func formatExpected(es []wat.Expected) string {
	s := make([]string, len(es))
	for i, e := range es {
		switch {
		case e.NaN != wat.NaNNone:
			s[i] = e.Type.String() + ":" + e.NaN.String()
		case e.Type == frontend.V128 && e.LaneNaN != nil:
			s[i] = "v128:" + e.Shape.String() + " with NaN lanes"
		case e.Type == frontend.V128:
			s[i] = fmt.Sprintf("v128:0x%016x%016x", endian.LittleEndian.Uint64(e.V128[8:]), endian.LittleEndian.Uint64(e.V128[:8]))
		case e.Type.IsRef():
			if e.Null {
				s[i] = e.Type.String() + ":null"
			} else {
				s[i] = fmt.Sprintf("%s:%d", e.Type, e.Ref)
			}
		default:
			s[i] = formatValue(ir.Val{Type: irType(e.Type), Bits: e.Bits})
		}
	}
	return "[" + strings.Join(s, " ") + "]"
}
