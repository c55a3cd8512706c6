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
// width (eax, rax, xmm3). Block labels are IR block numbers; branch arguments follow the target
// before Finish. Pseudo-instructions that expand to several (emit_float.go) have a dotted name
// (fmin.ss, cvtsat.sd2u32) or one that is no x86 mnemonic (boundscheck, trap).

// Format implements [backend.MachineFunc].
func (f *mfunc) Format(w io.Writer) {
	var b strings.Builder
	fmt.Fprintf(&b, "$%s:\n", f.name)
	for bi := range f.blocks {
		blk := &f.blocks[bi]
		fmt.Fprintf(&b, "b%d", blk.label)
		if !f.finished && len(blk.params) > 0 {
			b.WriteString(vregList(blk.params))
		}
		b.WriteString(":\n")
		for i := blk.start; i < blk.end; i++ {
			for _, line := range f.formatInst(&f.insts[i], bi) {
				b.WriteString("    ")
				b.WriteString(line)
				b.WriteByte('\n')
			}
		}
	}
	io.WriteString(w, b.String())
}

func vregList[T ~uint32](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = "%" + strconv.Itoa(int(v))
	}
	return "(" + strings.Join(s, ", ") + ")"
}

var sizeSuffix = map[Width]string{W8: "b", W16: "w", W32: "l", W64: "q"}

func sd(w Width) string {
	if w == W32 {
		return "ss"
	}
	return "sd"
}

// mnemonic is in's name in dumps.
func (f *mfunc) mnemonic(in *inst) string {
	info := &opTable[in.op]
	switch in.op {
	case opCopy:
		if f.isXMM(in, 0) {
			return "movaps"
		}
	case opMovImm:
		switch {
		case in.imm == 0:
			return "xorl"
		case in.w == W64 && (in.imm < -1<<31 || in.imm > 0xffffffff):
			return "movabsq"
		case in.w == W64 && in.imm < 0:
			return "movq"
		}
		return "movl"
	case opMovzx, opMovsx:
		return info.name + sizeSuffix[in.w2] + sizeSuffix[in.w]
	case opSetcc:
		return "set" + in.cc.String()
	case opCmov:
		return "cmov" + in.cc.String() + sizeSuffix[in.w]
	case opCvtsi2s:
		return "cvtsi2" + sd(in.w) + sizeSuffix[in.w2]
	case opCvtts2si:
		return "cvtt" + sd(in.w2) + "2si" + sizeSuffix[in.w]
	case opCvts2s:
		return "cvt" + sd(in.w^(W32|W64)) + "2" + sd(in.w)
	case opMovdToX, opMovdToR:
		if in.w == W32 {
			return "movd"
		}
		return "movq"
	case opUcomis:
		return "ucomi" + sd(in.w)
	case opCdq:
		if in.w == W32 {
			return "cltd"
		}
		return "cqto"
	case opFConst, opFMin, opFMax, opFAbs, opFNeg, opFCopysign:
		return info.name + "." + sd(in.w)
	case opFSel:
		return "fsel" + in.cc.String() + "." + sd(in.w)
	case opCvtU64ToF:
		return "cvtu64." + sd(in.w)
	case opCvtFToU64:
		return "cvtt." + sd(in.w2) + "2u64"
	case opCvtFToSSat:
		return "cvtsat." + sd(in.w2) + "2i" + strconv.Itoa(in.w.Bits())
	case opCvtFToUSat:
		return "cvtsat." + sd(in.w2) + "2u" + strconv.Itoa(in.w.Bits())
	}
	name := info.name
	if info.suffix {
		name += sizeSuffix[in.w]
	}
	if info.sse {
		name += sd(in.w)
	}
	return name
}

// isXMM reports whether operand k is an XMM register (or a float virtual register).
func (f *mfunc) isXMM(in *inst, k int) bool {
	if f.finished {
		return in.regs[k].IsXMM()
	}
	o := in.ops[k]
	if r, ok := o.PReg(); ok {
		return Reg(r).IsXMM()
	}
	v, _ := o.VReg()
	return f.vtypes[v].IsFloat()
}

// opndWidth is the width at which register operand k of in is named.
func opndWidth(in *inst, k int) Width {
	w := in.w
	switch in.op {
	case opMovzx, opMovsx, opMovsxd, opCvtsi2s:
		if k == 1 {
			w = in.w2
		}
	case opCvtU64ToF:
		w = W64
	case opSetcc:
		w = W8
	case opMovImm:
		if in.w == W32 || in.imm >= 0 && in.imm <= 0xffffffff {
			w = W32 // a 32-bit mov zero-extends
		}
	case opPush, opPop, opCall, opBrTable:
		w = W64
	}
	if w == 0 {
		w = W64
	}
	return w
}

// opnd names operand k of in at width w.
func (f *mfunc) opnd(in *inst, k int, w Width) string {
	if f.finished {
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

// symName names a program symbol in dumps.
func (f *mfunc) symName(s backend.SymRef) string {
	m := f.env.Module
	switch s.Kind {
	case backend.RefFunc:
		return "$" + m.Funcs[s.Index].Name
	case backend.RefFuncRef:
		return "$" + m.Funcs[s.Index].Name + ".ref"
	case backend.RefGlobal:
		if n := m.Globals[s.Index].Name; n != "" {
			return "$" + n
		}
		return fmt.Sprintf("global%d", s.Index)
	case backend.RefMemory:
		return fmt.Sprintf("mem%d", s.Index)
	case backend.RefTable:
		return fmt.Sprintf("table%d", s.Index)
	case backend.RefData:
		return fmt.Sprintf("data%d", s.Index)
	case backend.RefElem:
		return fmt.Sprintf("elem%d", s.Index)
	case backend.RefStackLimit:
		return "stack_limit"
	case backend.RefImport:
		return fmt.Sprintf("import%d", s.Index)
	case backend.RefRuntime:
		if r := backend.RuntimeRoutine(s.Index); r < backend.NumRuntimeRoutines {
			return "rt." + r.String()
		}
	}
	return fmt.Sprintf("sym(%d,%d)", s.Kind, s.Index)
}

// memString prints in's memory operand.
func (f *mfunc) memString(in *inst) string {
	m := in.m
	var s string
	switch m.kind {
	case memReg:
		if m.base >= 0 {
			s = f.opnd(in, int(m.base), W64)
		}
		if m.index >= 0 {
			if s != "" {
				s += " + "
			}
			s += f.opnd(in, int(m.index), W64) + "*" + strconv.Itoa(int(max(m.scale, 1)))
		}
	case memRIP:
		s = "rip + " + f.symName(m.sym)
		if m.disp != 0 {
			s += "+" + strconv.Itoa(int(m.disp))
		}
		return "[" + s + "]"
	case memJT:
		return fmt.Sprintf("[rip + jt.b%d]", f.blocks[m.disp].label)
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

// target names machine block t, with the arguments block bi passes it before Finish.
func (f *mfunc) target(bi int, t int32) string {
	s := fmt.Sprintf("b%d", f.blocks[t].label)
	if f.finished {
		return s
	}
	blk := &f.blocks[bi]
	for k, succ := range blk.succs {
		if succ == int(t) && len(blk.args[k]) > 0 {
			return s + vregList(blk.args[k])
		}
	}
	return s
}

// formatInst prints one instruction, as several lines for a conditional branch.
func (f *mfunc) formatInst(in *inst, bi int) []string {
	switch in.op {
	case opJmp:
		if f.finished && in.targets[0] == int32(bi+1) {
			return nil
		}
		return []string{"jmp " + f.target(bi, in.targets[0])}
	case opBr:
		var lines []string
		for _, s := range branchSteps(in.cc, in.targets[0], in.targets[1], int32(bi+1)) {
			if s.always {
				lines = append(lines, "jmp "+f.target(bi, s.target))
			} else {
				lines = append(lines, "j"+s.cc.String()+" "+f.target(bi, s.target))
			}
		}
		return lines
	case opBrTable:
		n := len(in.targets) - 1
		ts := make([]string, n)
		for i, t := range in.targets[:n] {
			ts[i] = f.target(bi, t)
		}
		return []string{fmt.Sprintf("jmptable %s, %s, [%s], default %s", f.opnd(in, 0, W32), f.opnd(in, 1, W64),
			strings.Join(ts, ", "), f.target(bi, in.targets[n]))}
	case opTrapIf:
		return []string{"j" + in.cc.String() + " trap(" + in.trap.String() + ")"}
	case opTrap:
		return []string{"trap " + in.trap.String()}
	case opCall:
		switch in.form {
		case fM:
			return []string{"call " + f.memString(in)}
		case fR:
			return []string{"call " + f.opnd(in, 0, W64)}
		}
		return []string{"call " + f.symName(in.sym)}
	case opMovImm:
		if in.imm == 0 {
			d := f.opnd(in, 0, W32)
			return []string{"xorl " + d + ", " + d}
		}
	case opBoundsCheck:
		if in.form == fMI {
			return []string{fmt.Sprintf("boundscheck %s, %s", hexImm(in.imm), f.memString(in))}
		}
		return []string{fmt.Sprintf("boundscheck %s, %s, %s", f.opnd(in, 0, in.w), hexImm(in.imm), f.memString(in))}
	}
	mn := f.mnemonic(in)
	var ops []string
	for k := 0; k < int(in.nvis); k++ {
		ops = append(ops, f.opnd(in, k, opndWidth(in, k)))
	}
	switch in.form {
	case fRI, fRRI, fMI:
		imm := hexImm(in.imm)
		if in.form == fMI {
			ops = append([]string{f.memString(in)}, imm)
		} else {
			ops = append(ops, imm)
		}
	case fRM:
		ops = append(ops, f.memString(in))
	case fMR:
		ops = append([]string{f.memString(in)}, ops...)
	case fM:
		ops = []string{f.memString(in)}
	case fR:
		if in.op >= opShl && in.op <= opRor {
			ops = append(ops, "cl")
		}
	}
	if in.op == opMovImm || in.op == opFConst || in.op == opRounds {
		ops = append(ops, hexImm(in.imm))
	}
	if len(ops) == 0 {
		return []string{mn}
	}
	return []string{mn + " " + strings.Join(ops, ", ")}
}
