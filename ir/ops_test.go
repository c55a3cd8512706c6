package ir

import (
	"strings"
	"testing"
)

// TestOpTable checks the op table's own invariants: names are unique words, Pure means
// exactly "none of the restricting flags", and typing rules that use T say what T is.
func TestOpTable(t *testing.T) {
	names := map[string]Op{}
	restricting := Terminator | SideEffect | Reads | CanTrap | Guarded
	for op := OpInvalid + 1; op < numOps; op++ {
		info := &opTable[op]
		if info.name == "" || strings.ContainsAny(info.name, ". ") {
			t.Errorf("op %d has name %q", op, info.name)
		}
		if prev, dup := names[info.name]; dup {
			t.Errorf("ops %d and %d are both named %q", prev, op, info.name)
		}
		names[info.name] = op
		if pure := info.flags.Has(Pure); pure != (info.flags&restricting == 0) {
			t.Errorf("%v: Pure is %v but the other flags are %#x", op, pure, info.flags&restricting)
		}
		usesT := false
		for _, s := range append(append([]TypeSet{}, info.args...), info.res...) {
			usesT = usesT || s == tT
		}
		if usesT && info.ctrl == 0 {
			t.Errorf("%v uses T but does not constrain it", op)
		}
		if op.IsTerminator() && len(info.res) > 0 {
			t.Errorf("terminator %v defines results", op)
		}
		if got, ok := opByName[info.name]; !ok || got != op {
			t.Errorf("opByName[%q] = %v, want %v", info.name, got, op)
		}
	}
}

// TestTestdataCoversEverything requires the canonical testdata to use every op, type,
// condition and trap code at least once, so the round-trip test covers the whole text form.
func TestTestdataCoversEverything(t *testing.T) {
	ops := map[Op]bool{}
	types := map[Type]bool{}
	conds := map[Cond]bool{}
	traps := map[TrapCode]bool{}
	for _, path := range glob(t, "testdata/*.ir") {
		m, err := Parse(readFile(t, path))
		if err != nil {
			t.Fatalf("%s:%v", path, err)
		}
		for _, g := range m.Globals {
			ops[g.Init.Op] = true
		}
		for _, f := range m.Funcs {
			for _, v := range f.Values {
				types[v.Type] = true
			}
			for _, in := range f.Instrs {
				ops[in.Op], conds[in.Cond], traps[in.Trap] = true, true, true
			}
		}
	}
	for op := OpInvalid + 1; op < numOps; op++ {
		if !ops[op] {
			t.Errorf("no testdata uses op %v", op)
		}
	}
	for ty := I32; ty < numTypes; ty++ {
		if !types[ty] {
			t.Errorf("no testdata uses type %v", ty)
		}
	}
	for c := CondEq; c < numConds; c++ {
		if !conds[c] {
			t.Errorf("no testdata uses condition %v", c)
		}
	}
	for c := TrapNone + 1; c < numTrapCodes; c++ {
		if !traps[c] {
			t.Errorf("no testdata uses trap code %v", c)
		}
	}
}
