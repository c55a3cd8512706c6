package amd64

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/arch/x86/x86asm"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/internal/isatest"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// compiled is one function through every stage of the backend.
type compiled struct {
	f     *ir.Func
	index int    // in the module
	isel  string // Format after Select
	final string // Format after Finish
	code  *backend.Code
}

// testEnv is the environment the tests compile in: every signature is its own type id, as
// the module's interned types are already distinct, and prologues check the stack.
func testEnv(m *ir.Module) *backend.Env {
	ids := make([]uint32, len(m.Types))
	for i := range ids {
		ids[i] = uint32(i)
	}
	return &backend.Env{Module: m, TypeIDs: ids, StackCheck: true}
}

// parseModule parses and verifies IR text.
var parseModule = isatest.ParseModule

// compileModule runs every defined function of m through Select, regalloc.Run,
// regalloc.Check (on RunFast's allocation too), Finish and Encode, checks that finishing
// through FinishDeferred instead gives the same code (checkDeferred), and checks that the code decodes with x86asm. It
// interns every function's signature first, so that the linker can give funcref
// descriptors type ids.
func compileModule(t testing.TB, m *ir.Module) []compiled {
	t.Helper()
	for _, f := range m.Funcs {
		m.InternType(f.Sig) // funcref descriptors carry the id of their function's type
	}
	env := testEnv(m)
	isa := New()
	var out []compiled
	for i, f := range m.Funcs {
		if f.IsImport() {
			continue
		}
		c := compiled{f: f, index: i}
		mf, err := isa.Select(f, env)
		if err != nil {
			t.Fatalf("Select $%s: %v", f.Name, err)
		}
		checkTerminators(t, mf.(*mfunc))
		var b strings.Builder
		mf.Format(&b)
		c.isel = b.String()
		cfg := isa.RegConfig()
		res, err := regalloc.Run(mf, cfg)
		if err != nil {
			t.Fatalf("regalloc $%s: %v\n%s", f.Name, err, c.isel)
		}
		if err := regalloc.Check(mf, cfg, res); err != nil {
			t.Fatalf("regalloc.Check $%s: %v\n%s", f.Name, err, c.isel)
		}
		fast, err := regalloc.RunFast(mf, cfg)
		if err == nil {
			err = regalloc.Check(mf, cfg, fast)
		}
		if err != nil {
			t.Fatalf("regalloc.RunFast $%s: %v\n%s", f.Name, err, c.isel)
		}
		if err := mf.Finish(res); err != nil {
			t.Fatalf("Finish $%s: %v", f.Name, err)
		}
		b.Reset()
		mf.Format(&b)
		c.final = b.String()
		c.code, err = mf.Encode()
		if err != nil {
			t.Fatalf("Encode $%s: %v\n%s", f.Name, err, c.final)
		}
		want, relocs := encodeAll(mf.(*mfunc))
		if !bytes.Equal(c.code.Bytes, want) {
			t.Fatalf("Encode $%s: copying the measuring pass's bytes gave\n% x\nencoding every instruction again gives\n% x", f.Name, c.code.Bytes, want)
		}
		if !slices.Equal(c.code.Relocs, relocs) {
			t.Fatalf("Encode $%s: copying the measuring pass's relocations gave\n%v\nencoding every instruction again gives\n%v", f.Name, c.code.Relocs, relocs)
		}
		if !hasBrTable(f) {
			checkDecodes(t, f.Name, c.code.Bytes)
		}
		checkDeferred(t, f, isa, env, res, c.code)
		checkDeferred(t, f, isa, env, fast, nil)
		out = append(out, c)
	}
	return out
}

// checkTerminators checks that selection ends every block with a terminator (opTable's term
// flag) and puts none elsewhere.
func checkTerminators(t testing.TB, mf *mfunc) {
	t.Helper()
	for _, blk := range mf.Blocks {
		for i := blk.Start; i < blk.End; i++ {
			if last := i == blk.End-1; mf.Insts[i].isTerminator() != last {
				t.Fatalf("$%s: b%d: instruction %d (%v) is a terminator: %v",
					mf.Name, blk.Label, i, mf.Insts[i].op, !last)
			}
		}
	}
}

func hasBrTable(f *ir.Func) bool {
	for _, b := range f.Layout {
		if t := f.Terminator(b); t != nil && t.Op == ir.OpBrTable {
			return true
		}
	}
	return false
}

// checkDecodes decodes code instruction by instruction with x86asm, an independent decoder:
// every byte must belong to an instruction it knows.
func checkDecodes(t testing.TB, name string, code []byte) {
	t.Helper()
	for off := 0; off < len(code); {
		inst, err := x86asm.Decode(code[off:], 64)
		if err != nil {
			t.Fatalf("$%s: x86asm cannot decode at %#x: % x: %v", name, off, code[off:min(off+15, len(code))], err)
		}
		off += inst.Len
	}
}

// checkDeferred selects f again, finishes it with allocation res through FinishDeferred,
// as Compile does when it does not dump, and checks that Encode then gives want, the code
// of Finish and Encode (or, if want is nil, what a third selection finished through
// Finish encodes to): the same bytes, relocations and trap sites.
func checkDeferred(t testing.TB, f *ir.Func, isa backend.ISA, env *backend.Env, res *regalloc.Result, want *backend.Code) {
	t.Helper()
	compile := func(deferred bool) *backend.Code {
		mf, err := isa.Select(f, env)
		if err != nil {
			t.Fatalf("Select $%s again: %v", f.Name, err)
		}
		if deferred {
			err = mf.(backend.Deferrer).FinishDeferred(res)
		} else {
			err = mf.Finish(res)
		}
		if err != nil {
			t.Fatalf("finishing $%s (deferred %v): %v", f.Name, deferred, err)
		}
		code, err := mf.Encode()
		if err != nil {
			t.Fatalf("Encode $%s (deferred %v): %v", f.Name, deferred, err)
		}
		return code
	}
	if want == nil {
		want = compile(false)
	}
	code := compile(true)
	if !bytes.Equal(code.Bytes, want.Bytes) {
		t.Fatalf("$%s: FinishDeferred and Encode gave\n% x\nFinish and Encode give\n% x", f.Name, code.Bytes, want.Bytes)
	}
	if !reflect.DeepEqual(code.Relocs, want.Relocs) || !reflect.DeepEqual(code.TrapSites, want.TrapSites) {
		t.Fatalf("$%s: FinishDeferred and Encode gave relocations %v and trap sites %v, Finish and Encode %v and %v",
			f.Name, code.Relocs, code.TrapSites, want.Relocs, want.TrapSites)
	}
}
