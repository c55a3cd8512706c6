package frontend

import (
	"sync"
	"sync/atomic"
)

// Bodies is the function-body half of [Validate], for a compiler that checks each body
// in its own time, from several goroutines: a module's bodies are most of its validation
// and, unlike the sections, need nothing from one another (issue 21). [ValidateDecls]
// makes one after checking the rest of the module.
//
// Each body is checked once, by whoever asks first; others asking for the same body wait
// for that answer. Whatever the order in which bodies are checked, [Bodies.First] is the
// error [Validate] returns.
type Bodies struct {
	v        *moduleValidator
	imported int
	pool     sync.Pool // *codeValidator, whose stacks grow to the largest body seen
	once     []sync.Once
	errs     []error // each body's, set by its once
	// failed is set when a body is found invalid, so that a compiler checking bodies
	// in parallel with building others stops early: the module is refused anyway.
	failed atomic.Bool
}

// ValidateDecls checks m as [Validate] does, but for the function bodies: those are left
// to the returned [Bodies]. Its error is the one Validate returns when the module's
// problem is outside the bodies; when Validate would report a body first (the checks of
// exports and the start function come after the bodies'), that body's error.
func ValidateDecls(m *Module) (*Bodies, error) {
	v := newModuleValidator(m)
	var bs *Bodies
	checkCodes := func() error {
		if err := v.checkCodeCount(); err != nil {
			return err
		}
		bs = newBodies(v)
		return nil
	}
	before := []func() error{
		v.checkTypes, v.checkImports, v.checkFuncDecls, v.checkGlobals, v.checkTables,
		v.checkMems, v.checkElems, v.checkDatas, checkCodes,
	}
	for _, step := range before {
		if err := step(); err != nil {
			return nil, err
		}
	}
	for _, step := range []func() error{v.checkStart, v.checkExports, v.checkMemCount} {
		if err := step(); err != nil {
			if berr := bs.First(); berr != nil {
				return nil, berr
			}
			return nil, err
		}
	}
	return bs, nil
}

func newBodies(v *moduleValidator) *Bodies {
	n := len(v.m.Codes)
	bs := &Bodies{v: v, imported: len(v.funcs) - n, once: make([]sync.Once, n), errs: make([]error, n)}
	bs.pool.New = func() any { return &codeValidator{mod: v} }
	return bs
}

// Len is the number of bodies: the module's defined functions.
func (bs *Bodies) Len() int { return len(bs.once) }

// Check checks the body of defined function i (the i-th of the code section) and returns
// its *[ValidationError], or nil when it is valid.
func (bs *Bodies) Check(i int) error {
	bs.once[i].Do(func() {
		cv := bs.pool.Get().(*codeValidator)
		m := bs.v.m
		err := cv.function(bs.imported+i, &m.Codes[i], &m.Types[m.Funcs[i].Type])
		cv.code = nil // keep no reference to the module's code in the pool
		bs.pool.Put(cv)
		if err != nil {
			bs.errs[i] = err
			bs.failed.Store(true)
		}
	})
	return bs.errs[i]
}

// Failed reports whether some body has been found invalid so far.
func (bs *Bodies) Failed() bool { return bs.failed.Load() }

// First checks the bodies in order, up to the first invalid one, and returns its error,
// or nil when all are valid: what [Validate] reports for a module whose only problems
// are in bodies. Bodies checked before are not checked again.
func (bs *Bodies) First() error {
	for i := range bs.once {
		if err := bs.Check(i); err != nil {
			return err
		}
	}
	return nil
}
