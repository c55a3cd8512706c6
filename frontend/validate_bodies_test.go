package frontend_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
)

// manyBodies is a module of n functions, each calling the next, of which those in bad
// are invalid: they read local 7, which none has, and then mistype their result.
func manyBodies(t *testing.T, n int, bad ...int) *frontend.Module {
	t.Helper()
	var s strings.Builder
	s.WriteString("(module\n")
	for i := range n {
		fmt.Fprintf(&s, "  (func $f%d (export \"f%d\") (result i32)", i, i)
		isBad := false
		for _, b := range bad {
			isBad = isBad || b == i
		}
		switch {
		case isBad:
			s.WriteString(" (drop (local.get 7)) (i64.const 1)")
		case i+1 < n:
			fmt.Fprintf(&s, " (i32.add (call $f%d) (i32.const %d))", i+1, i)
		default:
			s.WriteString(" (i32.const 0)")
		}
		s.WriteString(")\n")
	}
	s.WriteString(")\n")
	m, err := wat.ParseModule("m.wat", []byte(s.String()))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestBodiesAnyOrder checks that bodies checked by several goroutines in any order give
// the error of validating the module whole: the lowest-index invalid body's first error,
// which the serial Validate finds.
func TestBodiesAnyOrder(t *testing.T) {
	const n = 300
	m := manyBodies(t, n, 290, 170, 171, 260)
	var want *frontend.ValidationError
	if !errors.As(frontend.Validate(m), &want) || want.Func != 170 || !strings.Contains(want.Msg, "unknown local 7") {
		t.Fatalf("Validate: %v, want func 170's unknown local 7", want)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		bodies, err := frontend.ValidateDecls(m)
		if err != nil || bodies.Len() != n {
			t.Fatalf("ValidateDecls: %v, %d bodies", err, bodies.Len())
		}
		order := rng.Perm(n)[:n/2] // half of them, the rest left to First
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Go(func() {
				for k := w; k < len(order); k += 3 {
					err := bodies.Check(order[k])
					if (err != nil) != (order[k] == 290 || order[k] == 170 || order[k] == 171 || order[k] == 260) {
						t.Errorf("round %d: body %d: %v", round, order[k], err)
					}
				}
			})
		}
		wg.Wait()
		var got *frontend.ValidationError
		if !errors.As(bodies.First(), &got) || *got != *want {
			t.Errorf("round %d: First %v, want %v", round, got, want)
		}
		if !bodies.Failed() {
			t.Errorf("round %d: not Failed", round)
		}
	}
}

// TestValidateDeclsBodyFirst checks that a problem the validator finds after the bodies
// (a duplicate export) gives way to an invalid body, as in Validate.
func TestValidateDeclsBodyFirst(t *testing.T) {
	m := manyBodies(t, 5, 3)
	m.Exports = append(m.Exports, m.Exports[0])
	if _, err := frontend.ValidateDecls(m); err == nil || !strings.Contains(err.Error(), "func 3: unknown local 7") {
		t.Errorf("an invalid body and a duplicate export: %v, want the body's error", err)
	}
	m = manyBodies(t, 5)
	m.Exports = append(m.Exports, m.Exports[0])
	if _, err := frontend.ValidateDecls(m); err == nil || !strings.Contains(err.Error(), "duplicate export") {
		t.Errorf("a duplicate export: %v", err)
	}
}

// TestLowerUnchecked checks that a body lowered on demand before it was validated is
// validated first: an invalid one is its validation error and is not lowered, and once
// one is found invalid, no other body is built; the valid bodies of a valid module build
// as LowerLazy builds them.
func TestLowerUnchecked(t *testing.T) {
	m := manyBodies(t, 10, 6)
	bodies, err := frontend.ValidateDecls(m)
	if err != nil {
		t.Fatal(err)
	}
	im, err := frontend.LowerUnchecked(m, bodies)
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Funcs[2].Load(); err != nil {
		t.Errorf("valid body: %v", err)
	}
	var ve *frontend.ValidationError
	if err := im.Funcs[6].Load(); !errors.As(err, &ve) || ve.Func != 6 || im.Funcs[6].Lazy() == false {
		t.Errorf("invalid body: %v, lazy %v, want func 6's validation error", err, im.Funcs[6].Lazy())
	}
	if err := im.Funcs[4].Load(); err == nil {
		t.Errorf("valid body of an invalid module built")
	}

	m = manyBodies(t, 10)
	bodies, err = frontend.ValidateDecls(m)
	if err != nil {
		t.Fatal(err)
	}
	checked, err := frontend.LowerUnchecked(m, bodies)
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := frontend.LowerLazy(m)
	if err != nil {
		t.Fatal(err)
	}
	for i := range checked.Funcs {
		a, b := checked.Funcs[i], lazy.Funcs[i]
		if err := a.Load(); err != nil {
			t.Fatal(err)
		}
		if err := b.Load(); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("func %d: built differently unchecked:\n%s\nlazily:\n%s", i, a, b)
		}
	}
}

// TestLazyRefsUnvalidated checks that a body not validated yet never names a function
// that does not exist to dead-function elimination or the inliner, which index with
// what it names: validation reports the body.
func TestLazyRefsUnvalidated(t *testing.T) {
	src := `(module (func $a (call 99) (call $a) (drop (ref.func 1000))))`
	m, err := wat.ParseModule("m.wat", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, refsRead := range []bool{true, false} { // from the decoder's record, or read
		m.Codes[0].RefsRead = refsRead
		if refsRead {
			m = mustDecode(t, frontend.Encode(m))
		}
		im, err := frontend.LowerLazy(m)
		if err != nil {
			t.Fatal(err)
		}
		var refs, calls []uint32
		if err := im.Funcs[0].Refs(func(i uint32) { refs = append(refs, i) }); err != nil {
			t.Fatal(err)
		}
		if _, err := im.Funcs[0].Calls(func(i uint32) { calls = append(calls, i) }); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(refs, calls) != "[0] [0]" {
			t.Errorf("recorded %v: refs %v, calls %v, want [0] [0]", refsRead, refs, calls)
		}
	}
}

func mustDecode(t *testing.T, b []byte) *frontend.Module {
	t.Helper()
	m, err := frontend.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
