package ir

import "fmt"

// VerifyModule checks a whole module and returns every problem it finds: function and
// global names are present and unique; each function belongs to the module and is either
// imported or has a body; limits are consistent; tables hold references; globals,
// segment offsets and elements are constant expressions of the right type; segments,
// exports and the start function name things that exist; then [Verify] on every
// defined function.
func VerifyModule(m *Module) []error {
	v := &verifier{m: m, blk: NoBlock, in: NoInstr}
	errorf := func(format string, args ...any) {
		v.errs = append(v.errs, &VerifyError{Block: NoBlock, Msg: fmt.Sprintf(format, args...)})
	}

	funcNames := map[string]int{}
	for i, f := range m.Funcs {
		switch {
		case f == nil:
			errorf("function %d is missing", i)
			continue
		case f.Name == "":
			errorf("function %d has no name", i)
		case funcNames[f.Name] > 0:
			errorf("functions %d and %d are both named %s", funcNames[f.Name]-1, i, refName(f.Name))
		default:
			funcNames[f.Name] = i + 1
		}
		if f.Module != m {
			errorf("function %s does not point back to its module", refName(f.Name))
		}
	}

	for i := range m.Memories {
		mem := &m.Memories[i]
		v.limits(fmt.Sprintf("memory mem%d", i), mem.Limits, memoryMaxPages(mem), errorf)
	}
	for i := range m.Tables {
		t := &m.Tables[i]
		if !t.Elem.IsRef() {
			errorf("table table%d holds %v, not references", i, t.Elem)
		}
		v.limits(fmt.Sprintf("table table%d", i), t.Limits, 1<<32-1, errorf)
	}

	globalNames := map[string]int{}
	for i := range m.Globals {
		g := &m.Globals[i]
		what := "global " + refName(g.Name)
		switch {
		case g.Name == "":
			what = fmt.Sprintf("global %d", i)
			errorf("%s has no name", what)
		case globalNames[g.Name] > 0:
			errorf("globals %d and %d are both named %s", globalNames[g.Name]-1, i, refName(g.Name))
		default:
			globalNames[g.Name] = i + 1
		}
		if g.Type == NoType || g.Type >= numTypes {
			errorf("%s has no type", what)
			continue
		}
		if g.Import == nil {
			v.constExpr(what+" initializer", g.Init, g.Type, i, errorf)
		} else if g.Init != (ConstExpr{}) {
			errorf("%s is imported but has an initializer", what)
		}
	}

	for i := range m.Data {
		d := &m.Data[i]
		what := fmt.Sprintf("data segment data%d", i)
		switch d.Mode {
		case Active:
			if int(d.Memory) >= len(m.Memories) {
				errorf("%s: memory mem%d does not exist", what, d.Memory)
				break
			}
			v.constExpr(what+" offset", d.Offset, m.Memories[d.Memory].AddrType(), len(m.Globals), errorf)
		case Passive:
		default:
			errorf("%s has mode %v", what, d.Mode)
		}
	}
	for i := range m.Elems {
		e := &m.Elems[i]
		what := fmt.Sprintf("element segment elem%d", i)
		if !e.Type.IsRef() {
			errorf("%s holds %v, not references", what, e.Type)
		}
		switch e.Mode {
		case Active:
			if int(e.Table) >= len(m.Tables) {
				errorf("%s: table table%d does not exist", what, e.Table)
				break
			}
			if t := m.Tables[e.Table].Elem; t != e.Type {
				errorf("%s holds %v but table table%d holds %v", what, e.Type, e.Table, t)
			}
			v.constExpr(what+" offset", e.Offset, I32, len(m.Globals), errorf)
		case Passive, Declarative:
		default:
			errorf("%s has mode %v", what, e.Mode)
		}
		for j, x := range e.Elems {
			v.constExpr(fmt.Sprintf("%s element %d", what, j), x, e.Type, len(m.Globals), errorf)
		}
		for j, f := range e.Funcs {
			if f != NullFunc && int64(f) >= int64(len(m.Funcs)) {
				errorf("%s element %d: function %d does not exist", what, j, f)
			} else if f != NullFunc && e.Type != FuncRef {
				errorf("%s element %d: a function in a segment of %v", what, j, e.Type)
			}
		}
		if e.Funcs != nil && len(e.Elems) > 0 {
			errorf("%s has both function indices and expressions", what)
		}
	}

	exportNames := map[string]bool{}
	for _, e := range m.Exports {
		what := "export " + quoted(e.Name)
		if exportNames[e.Name] {
			errorf("%s is exported twice", quoted(e.Name))
		}
		exportNames[e.Name] = true
		var n int
		var name string
		switch e.Kind {
		case ExternFunc:
			n, name = len(m.Funcs), fmt.Sprintf("function %d", e.Index)
		case ExternTable:
			n, name = len(m.Tables), fmt.Sprintf("table table%d", e.Index)
		case ExternMemory:
			n, name = len(m.Memories), fmt.Sprintf("memory mem%d", e.Index)
		case ExternGlobal:
			n, name = len(m.Globals), fmt.Sprintf("global %d", e.Index)
		default:
			errorf("%s has kind %v", what, e.Kind)
			continue
		}
		if int(e.Index) >= n {
			errorf("%s: %s does not exist", what, name)
		}
	}

	if m.HasStart {
		switch {
		case int(m.Start) >= len(m.Funcs) || m.Funcs[m.Start] == nil:
			errorf("start function %d does not exist", m.Start)
		case !m.Funcs[m.Start].Sig.Equal(Signature{}):
			errorf("start function %s has type %v, want ()", refName(m.Funcs[m.Start].Name), m.Funcs[m.Start].Sig)
		}
	}

	for _, f := range m.Funcs {
		if f != nil && f.Module == m {
			v.errs = append(v.errs, Verify(f)...)
		}
	}
	return v.errs
}

func memoryMaxPages(mem *Memory) uint64 {
	if mem.Is64 {
		return 1 << 48
	}
	return 1 << 16
}

func (v *verifier) limits(what string, l Limits, most uint64, errorf func(string, ...any)) {
	if l.Min > most {
		errorf("%s: minimum %d is over %d", what, l.Min, most)
	}
	if l.HasMax && l.Max > most {
		errorf("%s: maximum %d is over %d", what, l.Max, most)
	}
	if l.HasMax && l.Min > l.Max {
		errorf("%s: minimum %d is over the maximum %d", what, l.Min, l.Max)
	}
}

// constExpr checks a constant expression of type t; a globalget in it may read only an
// immutable global with an index below globals.
func (v *verifier) constExpr(what string, c ConstExpr, t Type, globals int, errorf func(string, ...any)) {
	m := v.m
	ok := true
	switch c.Op {
	case OpIConst:
		ok = t.IsInt() && (t != I32 || c.Imm>>32 == 0)
	case OpF32Const:
		ok = t == F32 && c.Imm>>32 == 0
	case OpF64Const:
		ok = t == F64
	case OpV128Const:
		ok = t == V128
	case OpRefNull:
		ok = t.IsRef()
	case OpRefFunc:
		ok = t == FuncRef
		if int(c.Index) >= len(m.Funcs) {
			errorf("%s: function %d does not exist", what, c.Index)
			return
		}
	case OpGlobalGet:
		if int(c.Index) >= globals || int(c.Index) >= len(m.Globals) {
			errorf("%s: globalget of global %d, which is not an earlier global", what, c.Index)
			return
		}
		g := &m.Globals[c.Index]
		if g.Mutable {
			errorf("%s: globalget of mutable global %s", what, refName(g.Name))
		}
		ok = g.Type == t
	default:
		errorf("%s: %v is not a constant expression", what, c.Op)
		return
	}
	if !ok {
		errorf("%s: %v cannot have type %v", what, c.Op, t)
	}
	numeric := c.Op == OpIConst || c.Op == OpF32Const || c.Op == OpF64Const || c.Op == OpV128Const
	if !numeric && c.Imm != 0 || c.Op != OpV128Const && c.Imm2 != 0 || c.Op != OpRefFunc && c.Op != OpGlobalGet && c.Index != 0 {
		errorf("%s: %v has fields its text form does not show", what, c.Op)
	}
}

func quoted(s string) string {
	p := &printer{}
	p.quote(s)
	return string(p.buf)
}
