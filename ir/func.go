package ir

// Func is one function of a [Module]: a defined function with a body, or an imported
// one (Import set) with only a name and a signature. A body is dense slices indexed by
// number (values, blocks, instructions) plus the block layout; analyses such as
// [Func.Dom] are cached on the Func and check themselves against the CFG on every call.
type Func struct {
	// Name is the function's name without the $, unique among the module's functions:
	// from the name section, or made up by the frontend.
	Name string
	// Sig is the function's type; the entry block's parameters have its parameter types.
	Sig Signature
	// Import is where an imported function comes from; nil for a defined function.
	Import *ImportName
	// Module is the module the function belongs to, set by [Module.AddFunc] and the
	// parser; the printer and verifier resolve call targets and globals through it.
	Module *Module

	// Values holds every value's type and definition, indexed by Value.
	Values []ValueData
	// Blocks holds every block, indexed by BlockID; only blocks in Layout are part of the
	// function. A *Block taken from here is invalidated by adding a block.
	Blocks []Block
	// Instrs holds every instruction, indexed by InstrID; only instructions listed in a
	// laid-out block are part of the function. A *Instr taken from here is invalidated by
	// adding an instruction.
	Instrs []Instr
	// Layout is the order of the function's blocks; the first is the entry block, which
	// no branch may target.
	Layout []BlockID
	// Source, when not nil, builds the body on demand ([Func.Load]); the body is empty
	// until then and again after [Func.Release].
	Source BodySource

	cfg   cfgCache
	dom   domCache
	loops loopCache
}

// NewFunc returns an empty defined function; build its body with a [Builder].
func NewFunc(name string, sig Signature) *Func {
	return &Func{Name: name, Sig: sig}
}

// IsImport reports whether the function is imported and so has no body.
func (f *Func) IsImport() bool { return f.Import != nil }

// Entry returns the entry block, or NoBlock if the function has no blocks.
func (f *Func) Entry() BlockID {
	if len(f.Layout) == 0 {
		return NoBlock
	}
	return f.Layout[0]
}

// TypeOf returns the type of v, or NoType if v names no value.
func (f *Func) TypeOf(v Value) Type {
	if int(v) >= len(f.Values) {
		return NoType
	}
	return f.Values[v].Type
}

// Terminator returns the instruction ending block b, or nil if b is empty or does not
// end in a terminator (while it is being built).
func (f *Func) Terminator(b BlockID) *Instr {
	if int(b) >= len(f.Blocks) {
		return nil
	}
	ins := f.Blocks[b].Instrs
	if len(ins) == 0 {
		return nil
	}
	in := &f.Instrs[ins[len(ins)-1]]
	if !in.Op.IsTerminator() {
		return nil
	}
	return in
}

// newValue appends a value slot and returns its number.
func (f *Func) newValue(d ValueData) Value {
	f.Values = append(f.Values, d)
	return Value(len(f.Values) - 1)
}

// Resolve follows aliases from v to the value it stands for. It points every alias it
// passes straight at that value (path compression), so that a chain as long as the
// function, which SSA construction makes of a value carried through 100,000 nested loops,
// is walked once and not once per use.
func (f *Func) Resolve(v Value) Value {
	r := v
	for n := 0; int(r) < len(f.Values) && f.Values[r].Kind == DefAlias; n++ {
		if n > len(f.Values) { // an alias cycle: a broken invariant, leave it to Verify
			return r
		}
		r = f.Values[r].Alias
	}
	for v != r && int(v) < len(f.Values) && f.Values[v].Kind == DefAlias {
		next := f.Values[v].Alias
		f.Values[v].Alias = r
		v = next
	}
	return r
}

// ResolveAliases rewrites every operand and branch argument that names an alias to the
// value it stands for, then frees the alias slots. SSA construction calls it once at the
// end, rather than rewriting uses each time it drops a trivial block parameter.
func (f *Func) ResolveAliases() { f.ResolveAliasesRenumbered(nil) }

// ResolveAliasesRenumbered is ResolveAliases and, with renum not nil, also gives every
// block b the number renum[b] in the instructions' Block, the branch targets and the
// block parameters' definitions (the caller moves the blocks themselves). The frontend
// does both at the end of a body: one walk over the instructions and one over the
// values rather than two of each (issue 21).
func (f *Func) ResolveAliasesRenumbered(renum []BlockID) {
	any := false
	for i := range f.Values {
		if f.Values[i].Kind == DefAlias {
			any = true
			break
		}
	}
	if !any && renum == nil {
		return
	}
	// The arrays in locals: the stores into the instructions made the compiler load f's
	// fields again at each one (issue 21). Resolve changes values, not the arrays.
	instrs, vals := f.Instrs, f.Values
	for i := range instrs {
		in := &instrs[i]
		if renum != nil && in.Block != NoBlock {
			in.Block = renum[in.Block]
		}
		// Most operands are no alias: only those pay for the call.
		if any {
			for j, a := range in.Args {
				if int(a) < len(vals) && vals[a].Kind == DefAlias {
					in.Args[j] = f.Resolve(a)
				}
			}
		}
		for t := range in.Targets {
			bc := &in.Targets[t]
			if renum != nil {
				bc.Block = renum[bc.Block]
			}
			if any {
				for j, a := range bc.Args {
					if int(a) < len(vals) && vals[a].Kind == DefAlias {
						bc.Args[j] = f.Resolve(a)
					}
				}
			}
		}
	}
	for i := range vals {
		switch d := &vals[i]; d.Kind {
		case DefAlias:
			*d = ValueData{}
		case DefParam:
			if renum != nil {
				d.Block = renum[d.Block]
			}
		}
	}
}

// String returns the function in the text form.
func (f *Func) String() string {
	p := &printer{m: f.Module}
	p.fn(f)
	return string(p.buf)
}

// InstrString returns one instruction in the text form, as the verifier quotes it.
func (f *Func) InstrString(id InstrID) string {
	p := &printer{m: f.Module}
	p.instr(f, &f.Instrs[id])
	return string(p.buf)
}
