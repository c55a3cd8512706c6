package arm64

import (
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// The wasm-to-wasm calling convention. Every function of a linked program, the runtime's
// included, uses it; nothing outside the program calls in except the entry code, so it owes
// nothing to the procedure call standard (AAPCS64) beyond keeping its register roles, which
// debuggers and profilers expect:
//
//   - Integer and reference arguments go in x0–x7, float and v128 arguments in v0–v7 (their
//     s, d or q view), one register each, as AAPCS64 passes short vectors. The rest go on
//     the stack in parameter order, one 8-byte word each (a v128 two consecutive words, low
//     half first): word k at [sp+8k] at the call, [x29+16+8k] in the callee.
//   - Results come back the same way: integers in x0–x7, floats and v128 in v0–v7, and the rest in
//     stack words the caller reserves just above its stack arguments: result word j at
//     [sp+8(n+j)] at the call, where n is the number of stack argument words, and
//     [x29+16+8(n+j)] in the callee.
//   - An i32 is passed, returned and kept in registers and stack words zero-extended to 64
//     bits. Every 32-bit A64 instruction writes its destination that way (writing a w
//     register clears the upper half), so the invariant costs nothing, and a bounds check
//     may add to a 32-bit address as a 64-bit value. Runtime routines returning -1 as an
//     i32 return 0x00000000_ffffffff.
//   - x28 holds the base address of memory 0 (the program's main memory) from process
//     entry on: no function writes it, so it is never saved or allocated, and an access
//     to memory 0 addresses [x28, index, uxtw] with no load of the base.
//   - x19–x27 and the low 64 bits of v8–v15 are callee-saved, as in AAPCS64. A function
//     with v128 values keeps none across a call in v8–v15 (its calls clobber them,
//     callClobbersV128), since a callee saves and restores only the low half. x29 is the
//     frame pointer and x30 the link register: every function stores the pair as a frame
//     record (AAPCS64 6.2.3), so that perf and gdb can unwind. sp is 16-byte aligned
//     always (the hardware checks it at every access through sp).
//   - x16 and x17 (IP0 and IP1, the intra-procedure-call scratch registers of AAPCS64) and
//     v31 are never allocated. x16 and v31 are the register allocator's scratch
//     registers ([regalloc.Config]), used by its edits between instructions; within one
//     instruction x16, x17 and v31 are free, so that an instruction that expands to several
//     (a bounds check, an access at a large offset, popcnt, a jump table) may use them as
//     temporaries. x18 is the platform register, reserved on Darwin and left alone
//     everywhere.
//
// Runtime routines ([backend.RuntimeRoutine]) take the same convention.

var (
	intArgRegs      = [...]Reg{X0, X1, X2, X3, X4, X5, X6, X7}
	floatArgRegs    = [...]Reg{V0, V1, V2, V3, V4, V5, V6, V7}
	intResultRegs   = intArgRegs
	floatResultRegs = floatArgRegs
	calleeSaved     = [...]Reg{X19, X20, X21, X22, X23, X24, X25, X26, X27,
		V8, V9, V10, V11, V12, V13, V14, V15}
)

// memBaseReg holds memory 0's base: see the convention above.
const memBaseReg = X28

// The scratch registers: see the convention above. scratch and scratchV are also the
// allocator's; scratch2 is only ever the instructions' (the address of an access at an offset
// no immediate holds, which a spill or reload by the allocator may need too).
const (
	scratch  = X16
	scratch2 = X17
	scratchV = V31
)

// allocatable lists the registers the allocator may assign, caller-saved first so that
// short-lived values leave the callee-saved ones (which cost a store and a load) alone.
var allocatable = [regalloc.NumClasses][]Reg{
	regalloc.ClassInt: {X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12, X13, X14, X15,
		X19, X20, X21, X22, X23, X24, X25, X26, X27},
	regalloc.ClassFloat: {V0, V1, V2, V3, V4, V5, V6, V7, V16, V17, V18, V19, V20, V21, V22, V23,
		V24, V25, V26, V27, V28, V29, V30, V8, V9, V10, V11, V12, V13, V14, V15},
}

// callClobbers is what a call destroys: every allocatable caller-saved register.
var callClobbers = func() regalloc.RegSet {
	var s regalloc.RegSet
	for _, rs := range allocatable {
		for _, r := range rs {
			if !isCalleeSaved(r) {
				s = s.Add(preg(r))
			}
		}
	}
	return s
}()

// callClobbersV128 is what a call destroys in a function with v128 values: v8-v15 too,
// whose upper halves no callee keeps.
var callClobbersV128 = func() regalloc.RegSet {
	s := callClobbers
	for r := V8; r <= V15; r++ {
		s = s.Add(preg(r))
	}
	return s
}()

func isCalleeSaved(r Reg) bool {
	for _, c := range calleeSaved {
		if c == r {
			return true
		}
	}
	return false
}

// preg is r as the allocator numbers it: the same number, so that dumps and results
// translate without a table.
func preg(r Reg) regalloc.PReg { return regalloc.PReg(r) }

// RegConfig describes the allocatable registers to the register allocator. It returns a new
// Config each time, so callers may change theirs.
func RegConfig() *regalloc.Config {
	cfg := &regalloc.Config{
		Scratch: [regalloc.NumClasses]regalloc.PReg{preg(scratch), preg(scratchV)},
	}
	for c, rs := range allocatable {
		for _, r := range rs {
			cfg.Regs[c] = append(cfg.Regs[c], preg(r))
		}
	}
	for _, r := range calleeSaved {
		cfg.CalleeSaved = cfg.CalleeSaved.Add(preg(r))
	}
	cfg.RegNames = make([]string, V31+1)
	for r := X0; r <= V31; r++ {
		cfg.RegNames[r] = r.String()
	}
	return cfg
}

// abiLoc is where one argument or result lives: a register, or stack word slot (counted from
// the first stack argument word) when reg is NoReg.
type abiLoc struct {
	reg  Reg
	slot int32
}

// callConv places a signature's parameters and results.
type callConv struct {
	params, results []abiLoc
	// stackParams and stackResults count the stack words each needs; result words follow
	// the parameter words.
	stackParams, stackResults int32
}

// stackWords is the size of the outgoing area a call with this convention needs, in words.
func (c *callConv) stackWords() int32 { return c.stackParams + c.stackResults }

func convOf(sig ir.Signature) callConv {
	var c callConv
	c.params, c.stackParams = place(sig.Params, intArgRegs[:], floatArgRegs[:], 0)
	c.results, c.stackResults = place(sig.Results, intResultRegs[:], floatResultRegs[:], c.stackParams)
	return c
}

// place assigns registers of each class in order and stack words after them, numbering
// stack words from first.
func place(types []ir.Type, ints, floats []Reg, first int32) ([]abiLoc, int32) {
	locs := make([]abiLoc, len(types))
	var ni, nf, ns int
	for i, t := range types {
		switch {
		case isVType(t) && nf < len(floats):
			locs[i] = abiLoc{reg: floats[nf]}
			nf++
		case !isVType(t) && ni < len(ints):
			locs[i] = abiLoc{reg: ints[ni]}
			ni++
		default:
			locs[i] = abiLoc{slot: first + int32(ns)}
			ns += max(1, t.Size()/8)
		}
	}
	return locs, int32(ns)
}

// isVType reports whether values of type t live in SIMD&FP registers: floats and v128.
func isVType(t ir.Type) bool { return t.IsFloat() || t == ir.V128 }

// widthOf is the operand size of instructions on values of type t: W32 for i32 and f32 (the
// w view of a general register, the s view of a SIMD&FP one), W128 for v128 (the q view),
// W64 otherwise.
func widthOf(t ir.Type) Width {
	switch t.Size() {
	case 4:
		return W32
	case 16:
		return W128
	}
	return W64
}

// classOf is the register class of values of type t.
func classOf(t ir.Type) regalloc.Class { return backend.ClassOf(t) }
