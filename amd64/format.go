package amd64

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/wasmc/wasmc/backend"
)

// The dump format: Intel operand order (destination first, as the encoder's constructors
// take them), GNU mnemonics with the AT&T size suffix where the operand size is not implied
// (addl, movq, movzbl), so that virtual registers need no width. Before Finish, virtual
// registers print as %12 (IR value v12, or a temporary numbered after the values), and the
// destination of a two-address instruction as %3=%8: the result %3 takes over the register of
// its tied input %8. Physical registers print as the assembler names them at the operand's
// width (eax, rax, xmm3). Blocks, labels and branch arguments are backend's scaffold
// (backend/dump.go). Pseudo-instructions that expand to several (emit_float.go) have a dotted
// name (fmin.ss, cvtsat.sd2u32) or one that is no x86 mnemonic (boundscheck, trap).
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
	return f.line(in, info.mnemonic(in), info.flags)
}

// line prints in as mnemonic mn and the operands of its form: the visible registers, the
// memory operand and the immediate, in Intel order.
func (f *mfunc) line(in *inst, mn string, flags opFlags) []string {
	var ops []string
	for k := 0; k < int(in.nvis); k++ {
		ops = append(ops, f.opnd(in, k, opndWidth(in, k, flags)))
	}
	switch in.form {
	case fRI, fRRI:
		ops = append(ops, hexImm(in.imm))
	case fMI:
		ops = []string{f.memString(in), hexImm(in.imm)}
	case fRM:
		ops = append(ops, f.memString(in))
	case fMR:
		ops = append([]string{f.memString(in)}, ops...)
	case fM:
		ops = []string{f.memString(in)}
	case fR:
		if flags&byCL != 0 {
			ops = append(ops, "cl")
		}
	}
	if flags&immLast != 0 {
		ops = append(ops, hexImm(in.imm))
	}
	if len(ops) == 0 {
		return []string{mn}
	}
	return []string{mn + " " + strings.Join(ops, ", ")}
}

// opndWidth is the width at which register operand k of in is named.
func opndWidth(in *inst, k int, flags opFlags) Width {
	w := in.w
	switch {
	case flags&reg64 != 0:
		w = W64
	case flags&reg8 != 0:
		w = W8
	case flags&src2 != 0 && k == 1:
		w = in.w2
	}
	if w == 0 {
		w = W64
	}
	return w
}

// isXMM reports whether operand k is an XMM register (or a float virtual register).
func (f *mfunc) isXMM(in *inst, k int) bool {
	if f.Finished {
		return in.regs[k].IsXMM()
	}
	o := in.ops[k]
	if r, ok := o.PReg(); ok {
		return Reg(r).IsXMM()
	}
	v, _ := o.VReg()
	return isXMMType(f.VTypes[v])
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
	s := "%" + strconv.Itoa(int(v))
	if j, ok := o.Reuse(); ok {
		t, _ := in.ops[j].VReg()
		s += "=%" + strconv.Itoa(int(t))
	}
	return s
}

func hexImm(v int64) string {
	if v < 0 {
		return "-0x" + strconv.FormatUint(uint64(-v), 16)
	}
	return "0x" + strconv.FormatUint(uint64(v), 16)
}

// memString prints in's memory operand.
func (f *mfunc) memString(in *inst) string {
	m := in.m
	var s string
	switch m.kind {
	case memReg:
		if m.base >= 0 {
			s = f.opnd(in, int(m.base), W64)
		} else if m.base == baseMem0 {
			s = memBaseReg.String()
		}
		if m.index >= 0 {
			if s != "" {
				s += " + "
			}
			s += f.opnd(in, int(m.index), W64) + "*" + strconv.Itoa(int(max(m.scale, 1)))
		}
	case memRIP:
		s = "rip + " + backend.SymName(f.Env.Module, m.sym)
		if m.disp != 0 {
			s += "+" + strconv.Itoa(int(m.disp))
		}
		return "[" + s + "]"
	case memJT:
		return fmt.Sprintf("[rip + jt.b%d]", m.disp)
	case memSP:
		s = "rsp"
	case memFP:
		s = "rbp"
	}
	switch {
	case m.disp > 0:
		s += " + " + hexImm(int64(m.disp))
	case m.disp < 0:
		s += " - " + hexImm(-int64(m.disp))
	}
	return "[" + s + "]"
}

// The print functions of opTable's rows that the generic line does not fit.

// printCopy names a copy of XMM registers movaps, as Finish encodes it.
func (f *mfunc) printCopy(in *inst, _ int) []string {
	if f.isXMM(in, 0) {
		return f.line(in, "movaps", 0)
	}
	return f.line(in, "mov"+sizeSuffix(in.w), 0)
}

// printMovImm prints the instruction that MovConst picks: xor for 0, a 32-bit mov for what
// zero-extends, movq for what sign-extends from 32 bits, else movabsq.
func (f *mfunc) printMovImm(in *inst, _ int) []string {
	if in.imm == 0 {
		d := f.opnd(in, 0, W32)
		return []string{"xorl " + d + ", " + d}
	}
	mn, w := "movl", W32
	switch {
	case in.w == W32 || in.imm >= 0 && in.imm <= 0xffffffff:
	case in.imm < -1<<31 || in.imm > 0xffffffff:
		mn, w = "movabsq", W64
	default:
		mn, w = "movq", W64
	}
	return []string{mn + " " + f.opnd(in, 0, w) + ", " + hexImm(in.imm)}
}

func (f *mfunc) printBoundsCheck(in *inst, _ int) []string {
	if in.form == fMI {
		return []string{fmt.Sprintf("boundscheck %s, %s", hexImm(in.imm), f.memString(in))}
	}
	return []string{fmt.Sprintf("boundscheck %s, %s, %s", f.opnd(in, 0, in.w), hexImm(in.imm), f.memString(in))}
}

func (f *mfunc) printTrapIf(in *inst, _ int) []string {
	return []string{"j" + in.cc.String() + " trap(" + in.trap.String() + ")"}
}

func (f *mfunc) printTrap(in *inst, _ int) []string { return []string{"trap " + in.trap.String()} }

// printJump prints nothing, once finished, for a jump to the next block: none is encoded.
func (f *mfunc) printJump(in *inst, b int) []string {
	if f.Finished && in.targets[0] == int32(b+1) {
		return nil
	}
	return []string{"jmp " + f.TargetName(b, in.targets[0])}
}

// printBranch prints the jumps the branch is encoded as (branchSteps).
func (f *mfunc) printBranch(in *inst, b int) []string {
	var lines []string
	var buf [3]jumpStep
	for _, s := range branchSteps(in.cc, in.targets[0], in.targets[1], int32(b+1), &buf) {
		if s.always {
			lines = append(lines, "jmp "+f.TargetName(b, s.target))
		} else {
			lines = append(lines, "j"+s.cc.String()+" "+f.TargetName(b, s.target))
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
	return []string{fmt.Sprintf("jmptable %s, %s, [%s], default %s", f.opnd(in, 0, W32), f.opnd(in, 1, W64),
		strings.Join(ts, ", "), f.TargetName(b, in.targets[n]))}
}

func (f *mfunc) printCall(in *inst, _ int) []string {
	switch in.form {
	case fM:
		return []string{"call " + f.memString(in)}
	case fR:
		return []string{"call " + f.opnd(in, 0, W64)}
	}
	return []string{"call " + backend.SymName(f.Env.Module, in.m.sym)}
}
