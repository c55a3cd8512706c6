package ir

import "slices"

// Bodies on demand (DESIGN.md decision 14): a large module is compiled function by
// function, and only one body per worker exists at a time. A defined function may carry a
// [BodySource] instead of a body; [Func.Load] builds the body just before a stage needs it
// and [Func.Release] drops it once its machine code exists. The frontend supplies a source
// that lowers wasm code, and [Link] wraps an input's source in one that renumbers what the
// body names, so neither lowering nor linking ever holds the whole program's IR.

// BodySource produces the body of a defined function on demand. It is called from
// several goroutines at once, for different functions and for the same function: the
// inliner builds a copy of a callee's body into a Func of its own while another worker
// compiles the callee itself (pass_inline.go). So a source writes only the Func it is
// given and reads only what stays unchanged while the program compiles.
type BodySource interface {
	// Body builds the body into f, which has its name, signature and module and no
	// body. The body names functions, globals, memories and so on by the index spaces
	// of f.Module.
	Body(f *Func) error
	// Refs calls fn with every function index the body names (calls and reffunc),
	// without building the body, for dead-function elimination.
	Refs(fn func(index uint32)) error
	// Calls calls fn with the callee of every direct call the body makes, once per call
	// site, and returns an estimate of the body's size ([BodySize]), without building
	// it: what the inliner plans with before compiling starts. The estimate must grow
	// with the work of building the body too, which the inliner does for its callees.
	Calls(fn func(callee uint32)) (size int, err error)
}

// CodeSizer is implemented by a [BodySource] that knows how large the code it builds
// a body from is: the backend treats a huge function's memory differently.
type CodeSizer interface {
	// CodeSize is the size of the body's code in bytes.
	CodeSize() int
}

// SourceSize is the size of the code f's body is built from, or 0 when its source does
// not say ([CodeSizer]) or it has none.
func (f *Func) SourceSize() int {
	if s, ok := f.Source.(CodeSizer); ok {
		return s.CodeSize()
	}
	return 0
}

// Lazy reports whether f's body is produced on demand and is not built now.
func (f *Func) Lazy() bool { return f.Source != nil && len(f.Layout) == 0 }

// Load builds f's body from its source, if it has one and the body is not built. Calls
// to functions of f.Module follow what each callee is now: a call to an import that has
// since been given a body ([Module.RetargetCalls]) becomes a call.
func (f *Func) Load() error {
	if !f.Lazy() {
		return nil
	}
	if err := f.Source.Body(f); err != nil {
		f.Release()
		return err
	}
	f.retarget()
	return nil
}

// Release drops the body of a function that has a source, so that Load can build it
// again; a function without a source keeps its body, which nothing could rebuild. The
// arrays of its instructions, values and blocks go to the next body built
// ([Func.Reserve]), so nothing may keep f.Instrs, f.Values or f.Blocks past Release.
func (f *Func) Release() {
	if f.Source == nil {
		return
	}
	recycle(&instrPool, f.Instrs)
	recycle(&valuePool, f.Values)
	recycle(&blockPool, f.Blocks)
	f.Values, f.Blocks, f.Instrs, f.Layout = nil, nil, nil, nil
	f.DropAnalyses()
}

// DropAnalyses forgets f's cached CFG, dominator tree and loops; the next call of an
// accessor recomputes them. It is for a stage that is done with them while the body
// stays: instruction selection reads none once blocks are laid out, and on a huge
// function they are a fifth of the body's memory.
func (f *Func) DropAnalyses() {
	f.cfg, f.dom, f.loops = cfgCache{}, domCache{}, loopCache{}
}

// retarget makes each call's op agree with whether its callee is imported.
func (f *Func) retarget() {
	if f.Module == nil {
		return
	}
	funcs := f.Module.Funcs
	for i := range f.Instrs {
		in := &f.Instrs[i]
		if (in.Op == OpCallImport || in.Op == OpCall) && int(in.Index) < len(funcs) {
			if funcs[in.Index].IsImport() {
				in.Op = OpCallImport
			} else {
				in.Op = OpCall
			}
		}
	}
}

// Refs calls fn with every function index f's body names, from its source when the body
// is not built.
func (f *Func) Refs(fn func(index uint32)) error {
	if f.Lazy() {
		return f.Source.Refs(fn)
	}
	for _, b := range f.Layout {
		for _, id := range f.Blocks[b].Instrs {
			if in := &f.Instrs[id]; in.Op < numOps && slices.Contains(opTable[in.Op].parts, pFunc) {
				fn(in.Index)
			}
		}
	}
	return nil
}

// Calls calls fn with the callee of every call and callimport of f's body, once per call
// site, and returns its [BodySize]; from its source, as an estimate, when the body is not
// built.
func (f *Func) Calls(fn func(callee uint32)) (size int, err error) {
	if f.Lazy() {
		return f.Source.Calls(fn)
	}
	for _, b := range f.Layout {
		size += blockSize(&f.Blocks[b])
		for _, id := range f.Blocks[b].Instrs {
			in := &f.Instrs[id]
			size += instrSize(in)
			if in.Op == OpCall || in.Op == OpCallImport {
				fn(in.Index)
			}
		}
	}
	return size, nil
}
