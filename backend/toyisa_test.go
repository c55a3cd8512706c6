package backend

import (
	"encoding/binary"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// The shared half of code generation knows no ISA. These tests drive it with toy, a made-up
// ISA with its own instruction type, three registers and no flags: each IR instruction
// becomes one instruction named after its op, a fused compare becomes a compare-and-branch.
// It is the smallest thing arm64 will have to write to plug in.

type toyInst struct {
	name    string
	ops     []regalloc.Operand
	regs    []regalloc.PReg // after Apply
	targets []int32
}

func (in *toyInst) Operands() []regalloc.Operand { return in.ops }
func (in *toyInst) IsCall() bool                 { return in.name == "call" }
func (in *toyInst) IsCopy() bool                 { return in.name == "copy" }
func (in *toyInst) IsJump() bool                 { return in.name == "jmp" }
func (in *toyInst) Describe() ([]regalloc.Operand, bool, bool) {
	return in.ops, in.IsCall(), in.IsCopy()
}
func (in *toyInst) Targets() []int32 { return in.targets }

type toyFunc struct {
	Func[toyInst, *toyInst]
	f   *ir.Func
	val Values
	lay *BlockLayout
}

type toyFolding struct{}

func (toyFolding) FusesCompare(user, cmp *ir.Instr) bool { return user.Op == ir.OpBrIf }
func (toyFolding) FoldsLoad(*ir.Instr) bool              { return false }

func toySelect(f *ir.Func) *toyFunc {
	t := &toyFunc{f: f}
	t.Name = f.Name
	t.CallClobbers = regalloc.RegSetOf(0, 1)
	for _, v := range f.Values {
		t.VTypes = append(t.VTypes, v.Type)
	}
	t.val = AnalyzeValues(f, toyFolding{}, nil)
	t.lay, t.Blocks = LayOutBlocks(f, false, nil)
	t.Select(t.lay, t)
	return t
}

func (t *toyFunc) emit(in toyInst) { t.Insts = append(t.Insts, in) }

// reg returns a register holding v, materializing a constant.
func (t *toyFunc) reg(v ir.Value) regalloc.VReg {
	if t.val.Kind[v] != ValConst {
		return regalloc.VReg(v)
	}
	r := t.NewVReg(t.f.Values[v].Type)
	imm := t.f.Instrs[t.f.Values[v].Instr].Imm
	t.emit(toyInst{name: "const " + strconv.FormatUint(imm, 10), ops: []regalloc.Operand{regalloc.Def(r)}})
	return r
}

func (t *toyFunc) uses(vs []ir.Value) []regalloc.Operand {
	var ops []regalloc.Operand
	for _, v := range vs {
		ops = append(ops, regalloc.Use(t.reg(v)))
	}
	return ops
}

func (t *toyFunc) regs(vs []ir.Value) []regalloc.VReg {
	var rs []regalloc.VReg
	for _, v := range vs {
		rs = append(rs, t.reg(v))
	}
	return rs
}

func (t *toyFunc) SelectBlock(mb int, b ir.BlockID) {
	f := t.f
	if b == f.Entry() {
		for _, p := range f.Blocks[b].Params {
			t.emit(toyInst{name: "arg", ops: []regalloc.Operand{regalloc.Def(regalloc.VReg(p))}})
		}
	}
	for _, id := range f.Blocks[b].Instrs {
		in := &f.Instrs[id]
		switch {
		case in.Op == ir.OpReturn:
			t.emit(toyInst{name: "ret", ops: t.uses(in.Args)})
		case in.Op == ir.OpJump:
			e := t.lay.Edges(b)[0]
			t.AddSucc(mb, e.MBlock, t.regs(e.Args))
			t.emit(toyInst{name: "jmp", targets: []int32{e.MBlock}})
		case in.Op == ir.OpBrIf:
			name, ops := "brnz", t.uses(in.Args[:1])
			if c := in.Args[0]; t.val.Kind[c] == ValFused {
				cmp := &f.Instrs[f.Values[c].Instr]
				name, ops = "br"+cmp.Cond.String(), t.uses(cmp.Args)
			}
			for _, e := range t.lay.Edges(b) {
				var args []regalloc.VReg
				if !e.Split {
					args = t.regs(e.Args)
				}
				t.AddSucc(mb, e.MBlock, args)
			}
			var ts []int32
			for k := range in.Targets {
				ts = append(ts, t.lay.Edges(b)[t.lay.EdgeOf(b)[k]].MBlock)
			}
			t.emit(toyInst{name: name, ops: ops, targets: ts})
		case len(in.Results) > 0 && t.val.Kind[in.Results[0]] != ValNormal:
		default:
			ops := []regalloc.Operand{regalloc.Def(regalloc.VReg(in.Results[0]))}
			t.emit(toyInst{name: in.Op.String(), ops: append(ops, t.uses(in.Args)...)})
		}
	}
}

func (t *toyFunc) SelectEdge(mb int, e Edge) {
	t.AddSucc(mb, t.lay.MBlock[e.Target], t.regs(e.Args))
	t.emit(toyInst{name: "jmp", targets: []int32{t.lay.MBlock[e.Target]}})
}

func (t *toyFunc) Prologue(out []toyInst) []toyInst { return append(out, toyInst{name: "enter"}) }

func (t *toyFunc) Edit(e regalloc.Edit) toyInst {
	return toyInst{name: e.Kind().String() + " " + e.To.String() + ", " + e.From.String()}
}

func (t *toyFunc) Place(out []toyInst, in *toyInst, locs []regalloc.Loc) ([]toyInst, bool) {
	for _, l := range locs {
		in.regs = append(in.regs, l.Reg())
	}
	return out, true
}

func (t *toyFunc) line(in *toyInst, b int) []string {
	var ops []string
	for k, o := range in.ops {
		if t.Finished {
			ops = append(ops, "p"+strconv.Itoa(int(in.regs[k])))
		} else if v, ok := o.VReg(); ok {
			ops = append(ops, "%"+strconv.Itoa(int(v)))
		}
	}
	for _, tg := range in.targets {
		ops = append(ops, t.TargetName(b, tg))
	}
	if in.name == "jmp" && t.Finished && in.targets[0] == int32(b+1) {
		return nil // falls through
	}
	return []string{strings.TrimSpace(in.name + " " + strings.Join(ops, ", "))}
}

func (t *toyFunc) format() string {
	var b strings.Builder
	t.Format(&b, t.line)
	return b.String()
}

// TestToyISA runs a function with a critical edge, a fused compare, a constant and a dead
// value through value analysis, layout, selection, allocation, Apply and jump threading,
// and prints it with the dump's scaffold.
func TestToyISA(t *testing.T) {
	m, err := ir.Parse(`func $f(i32, i32) -> i32 {
b0(v0:i32, v1:i32):
    v2:i32 = icmp slt v0, v1
    v3:i32 = iadd v0, v1
    brif v2, b1, b2(v1, v0)
b1:
    v4:i32 = iconst 7
    jump b2(v0, v4)
b2(v5:i32, v6:i32):
    v7:i32 = isub v5, v6
    return v7
}
`)
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	tf := toySelect(f)
	if k := tf.val.Kind; k[2] != ValFused || k[3] != ValDead || k[4] != ValConst {
		t.Errorf("kinds of v2, v3, v4 = %v %v %v, want fused, dead, const", k[2], k[3], k[4])
	}
	// b0 -> b2 is critical: split into b3, right after b0.
	const isel = `$f:
b0:
    arg %0
    arg %1
    brslt %0, %1, b1, b3
b3:
    jmp b2(%1, %0)
b1:
    const 7 %8
    jmp b2(%0, %8)
b2(%5, %6):
    isub %7, %5, %6
    ret %7
`
	if diff := cmp.Diff(isel, tf.format()); diff != "" {
		t.Errorf("after Select (-want +got):\n%s", diff)
	}
	cfg := &regalloc.Config{
		Regs:    [regalloc.NumClasses][]regalloc.PReg{regalloc.ClassInt: {0, 1, 2}},
		Scratch: [regalloc.NumClasses]regalloc.PReg{3, 4},
	}
	res, err := regalloc.Run(tf, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := regalloc.Check(tf, cfg, res); err != nil {
		t.Fatal(err)
	}
	if err := tf.Apply(res, tf); err != nil {
		t.Fatal(err)
	}
	if err := tf.Apply(res, tf); err == nil {
		t.Error("a second Apply succeeded")
	}
	// The edge b0 -> b2 needed no moves, so b3 is threaded away; what the dump shows
	// beyond that is the allocator's choice.
	final := tf.format()
	if !strings.HasPrefix(final, "$f:\nb0:\n    enter\n") {
		t.Errorf("no prologue at the start:\n%s", final)
	}
	var labels []int32
	for _, blk := range tf.Blocks {
		labels = append(labels, blk.Label)
	}
	if !slices.Equal(labels, []int32{0, 1, 2}) {
		t.Errorf("blocks %v after threading, want b0 b1 b2:\n%s", labels, final)
	}
	for b, blk := range tf.Blocks {
		if b > 0 && blk.End-blk.Start == 1 && tf.Insts[blk.Start].name == "jmp" {
			t.Errorf("block b%d holds only a jump after threading:\n%s", blk.Label, final)
		}
		for _, tg := range tf.Insts[blk.End-1].targets {
			if int(tg) >= len(tf.Blocks) {
				t.Errorf("b%d: target %d past the blocks", blk.Label, tg)
			}
		}
	}
}

// toyAsm is a code buffer of the toy ISA, whose encodings are made-up bytes: the shared
// bookkeeping only needs offsets and labels.
type toyAsm struct {
	buf    []byte
	labels []int
}

func (a *toyAsm) Len() int        { return len(a.buf) }
func (a *toyAsm) NewLabel() Label { a.labels = append(a.labels, -1); return Label(len(a.labels) - 1) }
func (a *toyAsm) Bind(l Label)    { a.labels[l] = len(a.buf) }
func (a *toyAsm) Offset(l Label) (int, bool) {
	return a.labels[l], a.labels[l] >= 0
}
func (a *toyAsm) Align(n int) {
	for len(a.buf)%n != 0 {
		a.buf = append(a.buf, 0x90)
	}
}
func (a *toyAsm) emit(n int) { a.buf = append(a.buf, make([]byte, n)...) }

// TestEmitter encodes a toy function twice, as an ISA with branch relaxation does: block 0
// jumps to block 1 right after it, to block 2 over 200 bytes and to a trap stub; block 2 has
// a jump table. Jumps are 2 bytes short and 5 long, and the short form reaches 127 bytes.
func TestEmitter(t *testing.T) {
	pass := func(short []bool) (*Emitter, *toyAsm) {
		var e Emitter
		a := &toyAsm{}
		e.Begin(a, 3, short)
		jump := func(l Label) {
			if e.Jump(l) {
				a.emit(2)
			} else {
				a.emit(5)
			}
		}
		a.Bind(e.Blocks[0])
		jump(e.Blocks[1])
		jump(e.Blocks[2])
		jump(e.Stub(ir.TrapUnreachable))
		a.Bind(e.Blocks[1])
		a.emit(200)
		a.Bind(e.Blocks[2])
		a.emit(3) // the brtable's code, which references the table
		e.Table(2)
		e.SetTable(2, []int32{0, 2, 1, 1})
		e.End(func(code ir.TrapCode) {
			a.emit(3) // the call of RtTrap
			e.TrapSite(code)
		}, func(v int32) { a.buf = binary.LittleEndian.AppendUint32(a.buf, uint32(v)) })
		return &e, a
	}
	first, _ := pass(nil)
	short := first.Relax(func(start, target int) bool { d := target - (start + 2); return d == int(int8(d)) })
	if want := []bool{true, false, false}; !slices.Equal(short, want) {
		t.Fatalf("first pass: short %v, want %v", short, want)
	}
	e, a := pass(short)
	// 2 + 5 + 5 + 200 + 3 bytes of blocks; the stub at 215, its call returning at 218; the
	// table 4-aligned at 220, with entries for blocks 0, 2 and 1 (the default has none).
	if want := []TrapSite{{CodeOffset: 218, Code: ir.TrapUnreachable}}; !slices.Equal(e.Traps, want) {
		t.Errorf("trap sites %v, want %v", e.Traps, want)
	}
	var got []int32
	for i := 220; i+4 <= len(a.buf); i += 4 {
		got = append(got, int32(binary.LittleEndian.Uint32(a.buf[i:])))
	}
	if want := []int32{0 - 220, 212 - 220, 12 - 220}; !slices.Equal(got, want) {
		t.Errorf("table entries %v, want %v", got, want)
	}
}
