package ir

// Linking functions whose bodies are built on demand (lazy.go): the output function gets a
// source that builds the input's body and renumbers it, so that Link never needs a body.

// internLazyTypes fills typeOut for the inputs that have a body on demand among the
// output's functions, after the bodies built now have interned theirs, so that a module
// whose bodies are all built gets the output types it always got.
func (l *linker) internLazyTypes() {
	l.typeOut = make([][]uint32, len(l.mods))
	for _, f := range l.out.Funcs {
		lb, ok := f.Source.(*linkedBody)
		if !ok || lb.l != l || l.typeOut[lb.in] != nil {
			continue
		}
		types := l.mods[lb.in].Module.Types
		l.typeOut[lb.in] = make([]uint32, len(types))
		for i, t := range types {
			l.typeOut[lb.in][i] = l.out.InternType(cloneSig(t))
		}
	}
}

// linkedBody builds a linked function's body on demand: the input's body, with every
// index renumbered into the output's index spaces as cloneFunc does.
type linkedBody struct {
	l   *linker
	in  int
	src *Func
}

func (b *linkedBody) Body(f *Func) error {
	tmp := &Func{Name: b.src.Name, Sig: b.src.Sig, Module: b.src.Module}
	if err := b.src.Source.Body(tmp); err != nil {
		return err
	}
	f.Values, f.Blocks, f.Instrs, f.Layout = tmp.Values, tmp.Blocks, tmp.Instrs, tmp.Layout
	b.l.relink(b.in, f.Instrs, b.l.mods[b.in].Module.Types)
	return nil
}

// CodeSize implements [CodeSizer] with the input function's.
func (b *linkedBody) CodeSize() int { return b.src.SourceSize() }

func (b *linkedBody) Refs(fn func(uint32)) error {
	return b.src.Refs(func(idx uint32) {
		if out := b.l.funcIndex(b.in, idx); out != unmapped {
			fn(out)
		}
	})
}

func (b *linkedBody) Calls(fn func(uint32)) (int, error) {
	return b.src.Calls(func(idx uint32) {
		if out := b.l.funcIndex(b.in, idx); out != unmapped {
			fn(out)
		}
	})
}
