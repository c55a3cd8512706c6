package asmcheck

import (
	"fmt"
	"strings"
)

// Disasm maps each function's symbol name ("$name") to its instructions in address order.
type Disasm map[string][]Inst

// An Inst is one decoded instruction. Checks match Text; Addr only helps a reader follow
// branches in a failure's listing.
type Inst struct {
	Addr uint64
	Text string
}

// A FuncError lists the checks one function failed, with the function's disassembly.
type FuncError struct {
	Func     string
	Arch     string
	Failures []string // one per failed check, each starting "file:line: "
	Insts    []Inst   // nil if the executable has no such function
}

func (e *FuncError) Error() string {
	var b strings.Builder
	for _, f := range e.Failures {
		b.WriteString(f)
		b.WriteByte('\n')
	}
	if e.Insts != nil {
		fmt.Fprintf(&b, "%s disassembly (%s):\n", e.Func, e.Arch)
		writeInsts(&b, e.Insts)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func writeInsts(b *strings.Builder, insts []Inst) {
	for _, in := range insts {
		fmt.Fprintf(b, "\t%x\t%s\n", in.Addr, in.Text)
	}
}

// Run checks the checks for arch against d and skips the others. It returns one
// [*FuncError] per function that fails any check, in the order the functions' first
// checks appear.
func Run(checks []Check, arch string, d Disasm) []error {
	var errs []error
	byFunc := map[string]*FuncError{}
	for _, c := range checks {
		if c.Arch != arch {
			continue
		}
		msg, ok := run(c, d)
		if ok {
			continue
		}
		e := byFunc[c.Func]
		if e == nil {
			e = &FuncError{Func: c.Func, Arch: arch, Insts: d[c.Func]}
			byFunc[c.Func] = e
			errs = append(errs, e)
		}
		e.Failures = append(e.Failures, fmt.Sprintf("%s:%d: %s: %s: %s", c.File, c.Line, c.Func, arch, msg))
	}
	return errs
}

// run checks c against d and says how it failed.
func run(c Check, d Disasm) (msg string, ok bool) {
	insts, found := d[c.Func]
	if !found {
		return fmt.Sprintf("%s: the executable has no such function (export it, or dead-function elimination removes it)", c.Src), false
	}
	if c.Head {
		insts = loopHeads(c.Arch, insts)
	}
	var matched []Inst
	for _, in := range insts {
		if c.Re.MatchString(in.Text) {
			matched = append(matched, in)
		}
	}
	switch {
	case c.Want == AtLeastOne && len(matched) > 0, c.Want == len(matched):
		return "", true
	case c.Want == AtLeastOne:
		return fmt.Sprintf("%s matched no instruction", c.Src), false
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s matched %s, want %d", c.Src, instructions(len(matched)), c.Want)
	if len(matched) > 0 {
		b.WriteString(":\n")
		writeInsts(&b, matched)
	}
	return strings.TrimSuffix(b.String(), "\n"), false
}

func instructions(n int) string {
	if n == 1 {
		return "1 instruction"
	}
	return fmt.Sprintf("%d instructions", n)
}
