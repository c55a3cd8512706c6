package regalloc

// The text form of test functions and of allocations. A function is a list of blocks in
// layout order, each a header and indented instructions:
//
//	b0:
//	  %0:i = copy r0            defs = op uses; %N:i / %N:f defines an int / float vreg
//	  %1:i^0 = sub %3, %0       ^K: the def reuses use operand K's register (ReuseDef)
//	  r1 = copy %2              a register name is a fixed operand
//	  r0 = call r0, r1 clobbers r0 r1 r2
//	  br %0, b1, b2(%1)         block targets make an instruction the terminator
//	b2(%5:i):                   block parameters
//	  ret %5
//
// An op named copy is a copy. Registers are r0..r15 (int) and f0..f15 (float). Successors
// are the targets of a block's last instruction; predecessors are derived.
//
// A test file is a txtar archive whose comment holds one sentence on why the case exists and
// directives (int:, float:, scratch:, callee:, slots: per-vreg), and whose sections are "in"
// and "want". want is the allocation as printed by formatResult, or "error: ..." for Run's
// error.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

type testBlock struct {
	start, end   int
	preds, succs []int
	params       []VReg
	args         [][]VReg
}

type testInstr struct {
	op       string
	ops      []Operand
	clobbers RegSet
	targets  []int    // successor blocks, for a terminator
	args     [][]VReg // branch arguments per target
}

// testFunc implements Func for tests.
type testFunc struct {
	blocks []*testBlock
	instrs []*testInstr
	class  []Class
}

func (f *testFunc) NumBlocks() int               { return len(f.blocks) }
func (f *testFunc) BlockInstrs(b int) (int, int) { return f.blocks[b].start, f.blocks[b].end }
func (f *testFunc) BlockPreds(b int) []int       { return f.blocks[b].preds }
func (f *testFunc) BlockSuccs(b int) []int       { return f.blocks[b].succs }
func (f *testFunc) BlockParams(b int) []VReg     { return f.blocks[b].params }
func (f *testFunc) BranchArgs(b, k int) []VReg   { return f.blocks[b].args[k] }
func (f *testFunc) NumVRegs() int                { return len(f.class) }
func (f *testFunc) VRegClass(v VReg) Class       { return f.class[v] }
func (f *testFunc) Clobbers(i int) RegSet        { return f.instrs[i].clobbers }
func (f *testFunc) IsCopy(i int) bool            { return f.instrs[i].op == "copy" }
func (f *testFunc) AppendOperands(i int, ops []Operand) []Operand {
	return append(ops, f.instrs[i].ops...)
}

// testRegNames names registers 0-15 r0..r15 and 16-31 f0..f15.
var testRegNames = func() []string {
	var names []string
	for i := 0; i < 16; i++ {
		names = append(names, "r"+strconv.Itoa(i))
	}
	for i := 0; i < 16; i++ {
		names = append(names, "f"+strconv.Itoa(i))
	}
	return names
}()

func testReg(name string) (PReg, bool) {
	i := slices.Index(testRegNames, name)
	return PReg(i), i >= 0
}

// parseConfig reads the directives of a test file's comment.
func parseConfig(comment string) (*Config, error) {
	cfg := &Config{RegNames: testRegNames}
	regs := func(list string) ([]PReg, error) {
		var rs []PReg
		for _, name := range strings.Fields(list) {
			r, ok := testReg(name)
			if !ok {
				return nil, fmt.Errorf("unknown register %q", name)
			}
			rs = append(rs, r)
		}
		return rs, nil
	}
	cfg.Regs[ClassInt], _ = regs("r0 r1 r2 r3")
	cfg.Regs[ClassFloat], _ = regs("f0 f1 f2 f3")
	cfg.Scratch = [NumClasses]PReg{15, 31}
	for _, line := range strings.Split(comment, "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok || strings.Contains(key, " ") {
			continue
		}
		rs, err := regs(val)
		if key != "slots" && err != nil {
			return nil, err
		}
		switch key {
		case "int":
			cfg.Regs[ClassInt] = rs
		case "float":
			cfg.Regs[ClassFloat] = rs
		case "scratch":
			for _, r := range rs {
				cfg.Scratch[r/16] = r
			}
		case "callee":
			cfg.CalleeSaved = RegSetOf(rs...)
		case "slots":
			if strings.TrimSpace(val) == "per-vreg" {
				cfg.Slots = SlotPerVReg
			}
		}
	}
	return cfg, nil
}

// tokens splits s at spaces and commas outside parentheses.
func tokens(s string) []string {
	var toks []string
	depth, start := 0, -1
	for i, c := range s + " " {
		switch {
		case c == '(':
			depth++
		case c == ')':
			depth--
		case (c == ' ' || c == ',') && depth == 0:
			if start >= 0 {
				toks = append(toks, s[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	return toks
}

type funcParser struct {
	f       *testFunc
	defined []bool
	line    int
}

func (p *funcParser) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", p.line, fmt.Sprintf(format, args...))
}

func (p *funcParser) vreg(tok string) (VReg, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(tok, "%"))
	if !strings.HasPrefix(tok, "%") || err != nil || n < 0 || n > 1<<20 {
		return 0, p.errorf("bad virtual register %q", tok)
	}
	for len(p.f.class) <= n {
		p.f.class = append(p.f.class, ClassInt)
		p.defined = append(p.defined, false)
	}
	return VReg(n), nil
}

// vregDef parses %N:i or %N:f, with an optional ^K.
func (p *funcParser) vregDef(tok string) (VReg, int, error) {
	name, rest, _ := strings.Cut(tok, ":")
	cl, reuse, _ := strings.Cut(rest, "^")
	v, err := p.vreg(name)
	if err != nil {
		return 0, 0, err
	}
	switch cl {
	case "i":
		p.f.class[v] = ClassInt
	case "f":
		p.f.class[v] = ClassFloat
	default:
		return 0, 0, p.errorf("def %q needs a class :i or :f", tok)
	}
	k := -1
	if reuse != "" {
		if k, err = strconv.Atoi(reuse); err != nil {
			return 0, 0, p.errorf("bad reuse in %q", tok)
		}
	}
	return v, k, nil
}

// target parses bN or bN(args).
func (p *funcParser) target(tok string) (int, []VReg, error) {
	name, args, hasArgs := strings.Cut(tok, "(")
	b, err := strconv.Atoi(strings.TrimPrefix(name, "b"))
	if err != nil {
		return 0, nil, p.errorf("bad block %q", tok)
	}
	var vs []VReg
	if hasArgs {
		for _, a := range tokens(strings.TrimSuffix(args, ")")) {
			v, err := p.vreg(a)
			if err != nil {
				return 0, nil, err
			}
			vs = append(vs, v)
		}
	}
	return b, vs, nil
}

func parseFunc(text string) (*testFunc, error) {
	p := &funcParser{f: &testFunc{}}
	f := p.f
	var cur *testBlock
	for n, line := range strings.Split(text, "\n") {
		p.line = n + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasSuffix(line, ":") && strings.HasPrefix(line, "b") {
			name, params, _ := strings.Cut(strings.TrimSuffix(line, ":"), "(")
			if name != "b"+strconv.Itoa(len(f.blocks)) {
				return nil, p.errorf("block %s out of order", name)
			}
			if cur != nil {
				cur.end = len(f.instrs)
			}
			cur = &testBlock{start: len(f.instrs)}
			f.blocks = append(f.blocks, cur)
			for _, tok := range tokens(strings.TrimSuffix(params, ")")) {
				v, _, err := p.vregDef(tok)
				if err != nil {
					return nil, err
				}
				cur.params = append(cur.params, v)
			}
			continue
		}
		if cur == nil {
			return nil, p.errorf("instruction outside a block")
		}
		in, err := p.instr(line)
		if err != nil {
			return nil, err
		}
		f.instrs = append(f.instrs, in)
	}
	if cur == nil {
		return nil, fmt.Errorf("no blocks")
	}
	cur.end = len(f.instrs)
	for b, blk := range f.blocks {
		if blk.end == blk.start {
			return nil, fmt.Errorf("b%d is empty", b)
		}
		for i := blk.start; i < blk.end; i++ {
			if len(f.instrs[i].targets) > 0 && i != blk.end-1 {
				return nil, fmt.Errorf("b%d: branch before the end of the block", b)
			}
			for _, t := range f.instrs[i].targets {
				if t <= 0 || t >= len(f.blocks) {
					return nil, fmt.Errorf("b%d: bad branch target b%d", b, t)
				}
			}
		}
	}
	f.link()
	return f, nil
}

// instr parses one instruction.
func (p *funcParser) instr(line string) (*testInstr, error) {
	in := &testInstr{}
	defs, rest, hasDefs := strings.Cut(line, " = ")
	if !hasDefs {
		defs, rest = "", line
	}
	var uses []Operand
	toks := tokens(rest)
	in.op = toks[0]
	clobbering := false
	for _, tok := range toks[1:] {
		switch {
		case tok == "clobbers":
			clobbering = true
		case clobbering:
			r, ok := testReg(tok)
			if !ok {
				return nil, p.errorf("bad clobber %q", tok)
			}
			in.clobbers = in.clobbers.Add(r)
		case strings.HasPrefix(tok, "%"):
			v, err := p.vreg(tok)
			if err != nil {
				return nil, err
			}
			uses = append(uses, Use(v))
		case strings.HasPrefix(tok, "b"):
			b, args, err := p.target(tok)
			if err != nil {
				return nil, err
			}
			in.targets = append(in.targets, b)
			in.args = append(in.args, args)
		default:
			r, ok := testReg(tok)
			if !ok {
				return nil, p.errorf("bad operand %q", tok)
			}
			uses = append(uses, FixedUse(r))
		}
	}
	in.ops = uses
	for _, tok := range tokens(defs) {
		if r, ok := testReg(tok); ok {
			in.ops = append(in.ops, FixedDef(r))
			continue
		}
		v, k, err := p.vregDef(tok)
		if err != nil {
			return nil, err
		}
		if k >= 0 {
			in.ops = append(in.ops, ReuseDef(v, k))
		} else {
			in.ops = append(in.ops, Def(v))
		}
	}
	return in, nil
}

// link derives successors, branch arguments and predecessors from the terminators.
func (f *testFunc) link() {
	for _, blk := range f.blocks {
		blk.preds = nil
	}
	for b, blk := range f.blocks {
		last := f.instrs[blk.end-1]
		blk.succs, blk.args = last.targets, last.args
		for _, s := range blk.succs {
			f.blocks[s].preds = append(f.blocks[s].preds, b)
		}
	}
}

func (f *testFunc) className(v VReg) string { return [...]string{"i", "f"}[f.class[v]] }

// format prints f in the text form; with r, every virtual operand is followed by @ and its
// location and the edits appear as lines of their own before their instructions.
func (f *testFunc) format(cfg *Config, r *Result) string {
	var sb strings.Builder
	if r != nil {
		var slots []string
		for s, c := range r.Slots {
			slots = append(slots, fmt.Sprintf("s%d:%s", s, c))
		}
		var used []string
		for _, reg := range r.UsedRegs.Regs() {
			used = append(used, cfg.RegName(reg))
		}
		fmt.Fprintf(&sb, "used: %s\n", strings.Join(used, " "))
		if len(slots) > 0 {
			fmt.Fprintf(&sb, "slots: %s\n", strings.Join(slots, " "))
		}
	}
	e := 0
	for b, blk := range f.blocks {
		fmt.Fprintf(&sb, "b%d", b)
		if len(blk.params) > 0 {
			var ps []string
			for _, v := range blk.params {
				ps = append(ps, fmt.Sprintf("%%%d:%s", v, f.className(v)))
			}
			fmt.Fprintf(&sb, "(%s)", strings.Join(ps, ", "))
		}
		sb.WriteString(":\n")
		for i := blk.start; i < blk.end; i++ {
			for ; r != nil && e < len(r.Edits) && r.Edits[e].Before == i; e++ {
				ed := r.Edits[e]
				fmt.Fprintf(&sb, "  %s %%%d %s -> %s\n", ed.Kind(), ed.VReg, cfg.LocName(ed.From), cfg.LocName(ed.To))
			}
			sb.WriteString("  " + f.formatInstr(i, cfg, r) + "\n")
		}
	}
	return sb.String()
}

func (f *testFunc) formatInstr(i int, cfg *Config, r *Result) string {
	in := f.instrs[i]
	var defs, uses []string
	for k, o := range in.ops {
		var s string
		if p, ok := o.PReg(); ok {
			s = cfg.RegName(p)
		} else {
			s = fmt.Sprintf("%%%d", o.vreg)
			if o.def && r == nil {
				s += ":" + f.className(o.vreg)
				if j, ok := o.Reuse(); ok {
					s += "^" + strconv.Itoa(j)
				}
			}
			if r != nil {
				s += "@" + cfg.LocName(r.Alloc(i, k))
			}
		}
		if o.def {
			defs = append(defs, s)
		} else {
			uses = append(uses, s)
		}
	}
	for t, b := range in.targets {
		s := fmt.Sprintf("b%d", b)
		if len(in.args[t]) > 0 {
			var as []string
			for _, v := range in.args[t] {
				as = append(as, fmt.Sprintf("%%%d", v))
			}
			s += "(" + strings.Join(as, ", ") + ")"
		}
		uses = append(uses, s)
	}
	var sb strings.Builder
	if len(defs) > 0 {
		sb.WriteString(strings.Join(defs, ", ") + " = ")
	}
	sb.WriteString(in.op)
	if len(uses) > 0 {
		sb.WriteString(" " + strings.Join(uses, ", "))
	}
	if in.clobbers != (RegSet{}) {
		sb.WriteString(" clobbers")
		for _, reg := range in.clobbers.Regs() {
			sb.WriteString(" " + cfg.RegName(reg))
		}
	}
	return sb.String()
}
