package backend

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// The scaffold of every ISA's dump ([MachineFunc.Format]):
//
//	$name:
//	b0:
//	    <instruction>
//	b3(%7, %8):
//	    <instruction>
//
// Block labels are IR block numbers (split edges' blocks are numbered after them), so dumps
// of every stage line up with the IR; before allocation a block shows its parameters and a
// branch target the arguments it passes. The ISA prints each instruction in its assembler's
// syntax, naming targets with [Func.TargetName] and program symbols with [SymName].

// Format writes f: the function's name, then each block's label and the lines line gives
// for each of its instructions (none for a jump to the next block, several for a branch that
// needs two jumps), indented.
func (f *Func[I, P]) Format(w io.Writer, line func(in *I, b int) []string) {
	var sb strings.Builder
	fmt.Fprintf(&sb, "$%s:\n", f.Name)
	for b := range f.Blocks {
		blk := &f.Blocks[b]
		fmt.Fprintf(&sb, "b%d", blk.Label)
		if !f.Finished && len(f.BlockParams(b)) > 0 {
			sb.WriteString(VRegList(f.BlockParams(b)))
		}
		sb.WriteString(":\n")
		for i := blk.Start; i < blk.End; i++ {
			for _, l := range line(&f.Insts[i], b) {
				sb.WriteString("    ")
				sb.WriteString(l)
				sb.WriteByte('\n')
			}
		}
	}
	io.WriteString(w, sb.String())
}

// VRegList prints virtual registers as a parenthesized list: (%3, %12).
func VRegList(vs []regalloc.VReg) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = "%" + strconv.Itoa(int(v))
	}
	return "(" + strings.Join(s, ", ") + ")"
}

// TargetName names machine block t as a target of a branch in block b: its label, and
// before allocation the arguments b passes it.
func (f *Func[I, P]) TargetName(b int, t int32) string {
	s := "b" + strconv.Itoa(int(f.Blocks[t].Label))
	if f.Finished {
		return s
	}
	for k, succ := range f.BlockSuccs(b) {
		if args := f.BranchArgs(b, k); succ == int(t) && len(args) > 0 {
			return s + VRegList(args)
		}
	}
	return s
}

// SymName names a program symbol of module m in dumps: $f, $f.ref, $g (or global3), mem0,
// table0, data2, elem1, stack_limit, import4, rt.memory_grow.
func SymName(m *ir.Module, s SymRef) string {
	switch s.Kind {
	case RefFunc:
		return "$" + m.Funcs[s.Index].Name
	case RefFuncRef:
		return "$" + m.Funcs[s.Index].Name + ".ref"
	case RefGlobal:
		if n := m.Globals[s.Index].Name; n != "" {
			return "$" + n
		}
		return fmt.Sprintf("global%d", s.Index)
	case RefMemory:
		return fmt.Sprintf("mem%d", s.Index)
	case RefTable:
		return fmt.Sprintf("table%d", s.Index)
	case RefData:
		return fmt.Sprintf("data%d", s.Index)
	case RefElem:
		return fmt.Sprintf("elem%d", s.Index)
	case RefStackLimit:
		return "stack_limit"
	case RefImport:
		return fmt.Sprintf("import%d", s.Index)
	case RefRuntime:
		if r := RuntimeRoutine(s.Index); r < NumRuntimeRoutines {
			return "rt." + r.String()
		}
	}
	return fmt.Sprintf("sym(%d,%d)", s.Kind, s.Index)
}
