package ir

import "testing"

// TestModuleExport looks exports up by name and kind: a name exported as another kind is
// not found.
func TestModuleExport(t *testing.T) {
	m, err := Parse(`memory mem0 min 1
global $g i32 = iconst 7
func $f() {
b0:
    return
}
export "f" func $f
export "mem" memory mem0
export "g" global $g
`)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		kind  ExternKind
		index uint32
		ok    bool
	}{
		{"f", ExternFunc, 0, true},
		{"mem", ExternMemory, 0, true},
		{"g", ExternGlobal, 0, true},
		{"f", ExternGlobal, 0, false},
		{"g", ExternFunc, 0, false},
		{"nope", ExternFunc, 0, false},
	} {
		i, ok := m.Export(tc.name, tc.kind)
		if i != tc.index || ok != tc.ok {
			t.Errorf("Export(%q, %v) = %d, %v; want %d, %v", tc.name, tc.kind, i, ok, tc.index, tc.ok)
		}
	}
}
