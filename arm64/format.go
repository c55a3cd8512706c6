package arm64

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/wasmc/wasmc/backend"
)

// The dump format: GNU assembler syntax, operands in the manual's order, registers named by
// the view the instruction uses (w3 or x3, s3 or d3), immediates as #0x10. Before Finish,
// virtual registers print as %12 (IR value v12, or a temporary numbered after the values),
// which carry no view: the width is the value's type. Blocks, labels and branch arguments
// are backend's scaffold (backend/dump.go). Pseudo-instructions print as one line each: a
// program symbol as its name ([mem0+8] is the word at memory 0's descriptor plus 8, which
// is adrp x16 and ldr), a memory operand with both an index and a displacement as
// [x1, w2, uxtw, #0x10] (an add into x17 and the access), a bounds check, the stack check
// and the trap stubs by name: boundscheck, stackcheck, trap(oob_memory).
//
// An op's mnemonic and flags are its opTable row; most instructions print as that mnemonic
// and the operands of their form (line), the rest with the row's print function.

// Format implements [backend.MachineFunc].
func (f *mfunc) Format(w io.Writer) { f.Func.Format(w, f.formatInst) }

// formatInst prints one instruction, as several lines for a conditional branch.
func (f *mfunc) formatInst(in *inst, b int) []string {
	info := &opTable[in.op]
	if info.print != nil {
		return info.print(f, in, b)
	}
	return []string{f.line(in, info.name, info.flags)}
}

// line prints in as mnemonic mn and the operands of its form.
func (f *mfunc) line(in *inst, mn string, flags opFlags) string {
	var ops []string
	for k := 0; k < int(in.nvis); k++ {
		w := in.w
		if flags&src2 != 0 && k == 1 {
			w = in.w2
		}
		ops = append(ops, f.opnd(in, k, w))
	}
	switch in.form {
	case fRI, fRRI:
		ops = append(ops, hexImm(in.imm))
	case fRRR:
		if in.amt != 0 {
			ops[2] += ", " + in.sh.String() + " #" + strconv.Itoa(int(in.amt))
		}
	}
	if flags&ccLast != 0 {
		ops = append(ops, in.cc.String())
	}
	if len(ops) == 0 {
		return mn
	}
	return mn + " " + strings.Join(ops, ", ")
}

// opnd names operand k of in at width w.
func (f *mfunc) opnd(in *inst, k int, w Width) string {
	if f.Finished {
		return in.regs[k].Name(w)
	}
	o := in.ops[k]
	if r, ok := o.PReg(); ok {
		return Reg(r).Name(w)
	}
	v, _ := o.VReg()
	return "%" + strconv.Itoa(int(v))
}

// isV reports whether operand k is a SIMD&FP register (or a float virtual register).
func (f *mfunc) isV(in *inst, k int) bool {
	if f.Finished {
		return in.regs[k].IsV()
	}
	o := in.ops[k]
	if r, ok := o.PReg(); ok {
		return Reg(r).IsV()
	}
	v, _ := o.VReg()
	return isVType(f.VTypes[v])
}

func hexImm(v int64) string {
	if v < 0 {
		return "#-0x" + strconv.FormatUint(uint64(-v), 16)
	}
	return "#0x" + strconv.FormatUint(uint64(v), 16)
}

// memString prints in's memory operand.
func (f *mfunc) memString(in *inst) string {
	m := in.m
	var s string
	disp := m.disp
	switch m.kind {
	case memReg:
		if m.base == baseMem0 {
			s = memBaseReg.String()
		} else {
			s = f.opnd(in, int(m.base), W64)
		}
		if m.index >= 0 {
			s += ", " + f.opnd(in, int(m.index), m.ext.regWidth())
			if m.ext == ExtUXTX {
				if m.scale != 0 {
					s += ", lsl #" + strconv.Itoa(int(m.scale))
				}
			} else {
				s += ", " + m.ext.String()
				if m.scale != 0 {
					s += " #" + strconv.Itoa(int(m.scale))
				}
			}
		}
	case memSP:
		s = "sp"
	case memFP:
		s = "x29"
	case memSlot:
		s, disp = "sp", f.slotDisp(m.disp)
	}
	if disp != 0 {
		s += ", " + hexImm(disp)
	}
	return "[" + s + "]"
}

// symString names a program symbol plus a displacement: mem0+8.
func (f *mfunc) symString(sym backend.SymRef, disp int64) string {
	s := backend.SymName(f.Env.Module, sym)
	if disp != 0 {
		s += "+" + strconv.FormatInt(disp, 10)
	}
	return s
}

// The print functions of opTable's rows that the generic line does not fit.

// printCopy names a copy of SIMD&FP registers fmov, as Finish encodes it.
func (f *mfunc) printCopy(in *inst, _ int) []string {
	if in.w == W128 { // a v128: the whole register, as move makes it
		return []string{"orr.q " + f.opnd(in, 0, W128) + ", " + f.opnd(in, 1, W128)}
	}
	if f.isV(in, 0) {
		return []string{"fmov " + f.opnd(in, 0, W64) + ", " + f.opnd(in, 1, W64)}
	}
	return []string{f.line(in, "mov", 0)}
}

func (f *mfunc) printMovImm(in *inst, _ int) []string {
	return []string{"mov " + f.opnd(in, 0, in.w) + ", " + hexImm(in.imm)}
}

func (f *mfunc) printFcmp(in *inst, _ int) []string {
	if in.form == fR {
		return []string{"fcmp " + f.opnd(in, 0, in.w) + ", #0.0"}
	}
	return []string{f.line(in, "fcmp", 0)}
}

func (f *mfunc) printFConst(in *inst, _ int) []string {
	v, _ := fconstValue(in)
	return []string{fmt.Sprintf("fmov %s, #%v", f.opnd(in, 0, in.w), v)}
}

// printLoadStore prints a load or store with the mnemonic and register view the encoder
// picks (loadInst, storeInst).
func (f *mfunc) printLoadStore(in *inst, _ int) []string {
	mn, w := "ldr", in.w2
	isV := in.nvis > 0 && f.isV(in, 0)
	if in.op == opStr {
		mn = "str"
	}
	if !isV {
		switch in.w2 {
		case W8:
			mn, w = mn+"b", W32
		case W16:
			mn, w = mn+"h", W32
		}
		if in.signed {
			mn = "ldrs" + mn[3:]
			if in.w2 == W32 {
				mn += "w"
			}
			w = in.w
		}
	}
	r := XZR.Name(w)
	if in.nvis > 0 {
		r = f.opnd(in, 0, w)
	}
	return []string{mn + " " + r + ", " + f.memString(in)}
}

// printSym prints a load, store or address of a program symbol: ldr x0, [mem0+8].
func (f *mfunc) printSym(in *inst, _ int) []string {
	r := XZR.Name(W64)
	if in.nvis > 0 {
		r = f.opnd(in, 0, W64)
	}
	s := f.symString(in.sym, in.imm)
	switch in.op {
	case opAdrSym:
		return []string{"adr " + r + ", " + s}
	case opStrSym:
		return []string{"str " + r + ", [" + s + "]"}
	}
	return []string{"ldr " + r + ", [" + s + "]"}
}

func (f *mfunc) printBoundsCheck(in *inst, _ int) []string {
	mem := backend.SymName(f.Env.Module, in.sym)
	if in.form != fR {
		return []string{fmt.Sprintf("boundscheck %s, %s", hexImm(in.imm), mem)}
	}
	return []string{fmt.Sprintf("boundscheck %s, %s, %s", f.opnd(in, 0, W64), hexImm(in.imm), mem)}
}

func trapName(code fmt.Stringer) string { return "trap(" + code.String() + ")" }

func (f *mfunc) printTrapIf(in *inst, _ int) []string {
	switch in.op {
	case opTrapIfZero:
		return []string{cbzName(in.cc) + " " + f.opnd(in, 0, in.w) + ", " + trapName(in.trap)}
	case opTrapIfBit:
		return []string{f.tbzText(in, in.cc) + trapName(in.trap)}
	}
	return []string{"b." + in.cc.String() + " " + trapName(in.trap)}
}

// cbzName is the mnemonic of a branch on a register being zero (EQ) or not (NE).
func cbzName(c Cond) string {
	if c == CondEQ {
		return "cbz"
	}
	return "cbnz"
}

// tbzText prints a test of bit in.imm up to its target: "tbnz w3, #31, ". The register's view
// is x for bits past 31, as the assembler wants.
func (f *mfunc) tbzText(in *inst, c Cond) string {
	mn, w := "tbz", W32
	if c == CondNE {
		mn = "tbnz"
	}
	if in.imm >= 32 {
		w = W64
	}
	return fmt.Sprintf("%s %s, #%d, ", mn, f.opnd(in, 0, w), in.imm)
}

func (f *mfunc) printTrap(in *inst, _ int) []string { return []string{"trap " + in.trap.String()} }

// printJump prints nothing, once finished, for a jump to the next block: none is encoded.
func (f *mfunc) printJump(in *inst, b int) []string {
	if f.Finished && in.targets[0] == int32(b+1) {
		return nil
	}
	return []string{"b " + f.TargetName(b, in.targets[0])}
}

// printBranch prints the branches a two-way branch is encoded as (branchSteps).
func (f *mfunc) printBranch(in *inst, b int) []string {
	var lines []string
	for _, s := range branchSteps(in.cc, in.targets[0], in.targets[1], int32(b+1)) {
		t := f.TargetName(b, s.target)
		switch {
		case s.always:
			lines = append(lines, "b "+t)
		case in.op == opCbz:
			lines = append(lines, cbzName(s.cc)+" "+f.opnd(in, 0, in.w)+", "+t)
		case in.op == opTbz:
			lines = append(lines, f.tbzText(in, s.cc)+t)
		default:
			lines = append(lines, "b."+s.cc.String()+" "+t)
		}
	}
	return lines
}

func (f *mfunc) printJumpTable(in *inst, b int) []string {
	n := len(in.targets) - 1
	ts := make([]string, n)
	for i, t := range in.targets[:n] {
		ts[i] = f.TargetName(b, t)
	}
	return []string{fmt.Sprintf("jmptable %s, [%s], default %s", f.opnd(in, 0, W32),
		strings.Join(ts, ", "), f.TargetName(b, in.targets[n]))}
}

func (f *mfunc) printCall(in *inst, _ int) []string {
	if in.form == fR {
		return []string{"blr " + f.opnd(in, 0, W64)}
	}
	return []string{"bl " + backend.SymName(f.Env.Module, in.sym)}
}

func (f *mfunc) printStackCheck(in *inst, _ int) []string {
	return []string{"stackcheck " + hexImm(in.imm)}
}

func (f *mfunc) printPushFrame(*inst, int) []string {
	return []string{"stp x29, x30, [sp, #-16]!", "mov x29, sp"}
}

func (f *mfunc) printSubSP(in *inst, _ int) []string {
	return []string{"sub sp, sp, " + hexImm(in.imm)}
}

func (f *mfunc) printPopFrame(in *inst, _ int) []string {
	var lines []string
	if in.imm != 0 {
		lines = append(lines, "mov sp, x29")
	}
	return append(lines, "ldp x29, x30, [sp], #16")
}
