package amd64

import (
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// The wasm-to-wasm calling convention. Every function of a linked program, the runtime's
// included, uses it; nothing outside the program calls in except the entry code, so it owes
// nothing to the System V ABI beyond keeping its register choices familiar:
//
//   - Integer and reference arguments go in rdi, rsi, rdx, rcx, r8, r9; float and v128
//     arguments in xmm0–xmm7, one register each, as System V passes __m128. The rest go on
//     the stack in parameter order, one 8-byte word each (a v128 two consecutive words, low
//     half first): word k at [rsp+8k] at the call, [rbp+16+8k] in the callee.
//   - Integer results come back in rax, rdx; float and v128 results in xmm0, xmm1. Further results go
//     in stack words the caller reserves just above its stack arguments: result word j at
//     [rsp+8(n+j)] at the call, where n is the number of stack argument words, and
//     [rbp+16+8(n+j)] in the callee.
//   - An i32 is passed, returned and kept in registers and stack words zero-extended to 64
//     bits. Every 32-bit x86 operation writes its destination that way, so the invariant
//     costs nothing, and a 32-bit wasm address can index memory without an extension.
//     Runtime routines returning -1 as an i32 must return 0x00000000_ffffffff.
//   - r15 holds the base address of memory 0 (the program's main memory) from process
//     entry on: no function writes it, so it is never saved or allocated, and an access
//     to memory 0 addresses [r15 + index + offset] with no load of the base.
//   - rbx and r12–r14 are callee-saved. rbp is the frame pointer, kept in every function so
//     that perf and gdb can unwind; rsp is the stack pointer, 16-byte aligned at every call.
//     All XMM registers are caller-saved.
//   - r11 and xmm15 are the register allocator's scratch registers ([regalloc.Config]):
//     never allocated, never live across an instruction, so an instruction that expands to
//     several (a bounds check, fmin, a saturating conversion) may use them as temporaries.
//
// Runtime routines ([backend.RuntimeRoutine]) take the same convention.

var (
	intArgRegs      = [...]Reg{RDI, RSI, RDX, RCX, R8, R9}
	floatArgRegs    = [...]Reg{X0, X1, X2, X3, X4, X5, X6, X7}
	intResultRegs   = [...]Reg{RAX, RDX}
	floatResultRegs = [...]Reg{X0, X1}
	calleeSaved     = [...]Reg{RBX, R12, R13, R14}
)

// memBaseReg holds memory 0's base: see the convention above. The alternative, the gs
// segment base ("Segue", arch_prctl(ARCH_SET_GS) at entry, gs:[index+disp32] accesses,
// r15 allocatable again), measured slower on every bench kernel (user time, best of 5,
// 2026-12-07): matmul 1.29 s against 0.93 s, sha256 0.95 against 0.90, the others 1-5%.
const memBaseReg = R15

// The scratch registers: see the convention above.
const (
	scratchGPR = R11
	scratchXMM = X15
)

// allocatable lists the registers the allocator may assign, caller-saved first so that
// short-lived values leave the callee-saved ones (which cost a push and a pop) alone.
var allocatable = [regalloc.NumClasses][]Reg{
	regalloc.ClassInt:   {RAX, RCX, RDX, RSI, RDI, R8, R9, R10, RBX, R12, R13, R14},
	regalloc.ClassFloat: {X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12, X13, X14},
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

func isCalleeSaved(r Reg) bool {
	for _, c := range calleeSaved {
		if c == r {
			return true
		}
	}
	return false
}

// preg is r as the allocator numbers it: the same number, so that dumps and [Result]s
// translate without a table.
func preg(r Reg) regalloc.PReg { return regalloc.PReg(r) }

// RegConfig describes the allocatable registers to the register allocator. It returns a new
// Config each time, so callers may change theirs.
func RegConfig() *regalloc.Config {
	cfg := &regalloc.Config{
		Scratch: [regalloc.NumClasses]regalloc.PReg{preg(scratchGPR), preg(scratchXMM)},
	}
	for c, rs := range allocatable {
		for _, r := range rs {
			cfg.Regs[c] = append(cfg.Regs[c], preg(r))
		}
	}
	for _, r := range calleeSaved {
		cfg.CalleeSaved = cfg.CalleeSaved.Add(preg(r))
	}
	cfg.RegNames = make([]string, RIP)
	for r := RAX; r < RIP; r++ {
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
	c.params, c.stackParams = placeInto(nil, sig.Params, intArgRegs[:], floatArgRegs[:], 0)
	c.results, c.stackResults = placeInto(nil, sig.Results, intResultRegs[:], floatResultRegs[:], c.stackParams)
	return c
}

// placeInto assigns registers of each class in order and stack words after them, numbering
// stack words from first, appending each type's place to locs.
func placeInto(locs []abiLoc, types []ir.Type, ints, floats []Reg, first int32) ([]abiLoc, int32) {
	var ni, nf, ns int
	for _, t := range types {
		switch {
		case isXMMType(t) && nf < len(floats):
			locs = append(locs, abiLoc{reg: floats[nf]})
			nf++
		case !isXMMType(t) && ni < len(ints):
			locs = append(locs, abiLoc{reg: ints[ni]})
			ni++
		default:
			locs = append(locs, abiLoc{slot: first + int32(ns)})
			ns += max(1, t.Size()/8)
		}
	}
	return locs, int32(ns)
}

// isXMMType reports whether values of type t live in XMM registers: floats and v128.
func isXMMType(t ir.Type) bool { return t.IsFloat() || t == ir.V128 }

// widthOf is the operand size of instructions on values of type t: W32 for i32 and f32
// (an f32 works with the ss forms, which the emitter picks from W32), W128 for v128, W64
// otherwise.
func widthOf(t ir.Type) Width {
	switch t.Size() {
	case 4:
		return W32
	case 16:
		return W128
	}
	return W64
}
