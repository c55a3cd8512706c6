package ir

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestLink runs the cases in testdata/link. Each archive holds the input modules as
// sections NAME.ir, in input order (a name starting with _ gives an unnamed input),
// and the expected linked module want.ir or the expected error text error. The comment
// part holds directives, one a line:
//
//	entries: NAME …            the entry modules, whose exports the output keeps
//	require-resolved: MODULE …  unresolved imports are errors, except from MODULEs
//	keep-all                    no dead-function elimination
func TestLink(t *testing.T) {
	for _, path := range glob(t, "testdata/link/*.txtar") {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			mods, cfg := linkCase(t, a)
			out, err := Link(mods, cfg)
			if err != nil {
				checkSection(t, path, a, "error", err.Error()+"\n")
				return
			}
			if errs := VerifyModule(out); len(errs) > 0 {
				t.Fatalf("linked module does not verify:\n%s\n%s", errorLines(errs), out)
			}
			got := out.String()
			checkSection(t, path, a, "want.ir", got)
			back, err := Parse(got)
			if err != nil {
				t.Fatalf("parsing the linked module: %v", err)
			}
			if again := back.String(); again != got {
				t.Errorf("print(parse(linked)) differs:\n%s", again)
			}
		})
	}
}

// linkCase parses an archive's inputs and directives.
func linkCase(t *testing.T, a *txtar.Archive) ([]LinkInput, LinkConfig) {
	t.Helper()
	var mods []LinkInput
	for _, f := range a.Files {
		name, ok := strings.CutSuffix(f.Name, ".ir")
		if !ok || f.Name == "want.ir" {
			continue
		}
		m, err := Parse(string(f.Data))
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if errs := VerifyModule(m); len(errs) > 0 {
			t.Fatalf("%s does not verify:\n%s", f.Name, errorLines(errs))
		}
		if strings.HasPrefix(name, "_") {
			name = ""
		}
		mods = append(mods, LinkInput{Name: name, Module: m})
	}
	var cfg LinkConfig
	names := func() []string {
		var s []string
		for _, f := range a.Files {
			if n, ok := strings.CutSuffix(f.Name, ".ir"); ok && f.Name != "want.ir" {
				s = append(s, n)
			}
		}
		return s
	}()
	for _, line := range strings.Split(string(a.Comment), "\n") {
		key, val, _ := strings.Cut(line, ":")
		switch key {
		case "entries":
			for _, e := range strings.Fields(val) {
				i := slices.Index(names, e)
				if i < 0 {
					t.Fatalf("entry %s is no input", e)
				}
				cfg.Entries = append(cfg.Entries, i)
			}
		case "require-resolved":
			cfg.RequireResolved = true
			cfg.ExternModules = strings.Fields(val)
		case "keep-all":
			cfg.KeepAll = true
		}
	}
	return mods, cfg
}

// TestLinkDoesNotModifyInputs links the same inputs twice: the first link must leave
// them as they were, so that the second gives the same text.
func TestLinkDoesNotModifyInputs(t *testing.T) {
	a, err := txtar.ParseFile("testdata/link/table_reffunc.txtar")
	if err != nil {
		t.Fatal(err)
	}
	mods, cfg := linkCase(t, a)
	var before []string
	for _, in := range mods {
		before = append(before, in.Module.String())
	}
	first, err := Link(mods, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range mods {
		if got := in.Module.String(); got != before[i] {
			t.Errorf("input %s changed:\n%s", in.Name, got)
		}
	}
	second, err := Link(mods, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Errorf("two links differ")
	}
}

// TestLinkErrorsAreLinkErrors checks that callers can pick the errors apart.
func TestLinkErrorsAreLinkErrors(t *testing.T) {
	m, err := Parse("import func $f() from \"nowhere\" \"f\"\nimport global $g i32 from \"nowhere\" \"g\"\n")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Link([]LinkInput{{Name: "main", Module: m}}, LinkConfig{RequireResolved: true})
	var le *LinkError
	if !errors.As(err, &le) || le.Module != "nowhere" || le.Name != "f" || le.Msg != "unknown import" {
		t.Fatalf("got %v, want a *LinkError for nowhere.f first", err)
	}
}

const linkExecLib = `
memory mem0 min 1
global $calls mut i32 = iconst 0
global $scale i32 = iconst 3

func $bump() {
b0:
    v0:i32 = globalget $calls
    v1:i32 = iconst 1
    v2:i32 = iadd v0, v1
    globalset $calls, v2
    return
}

func $mul(i32) -> i32 {
b0(v0:i32):
    call $bump()
    v1:i32 = globalget $scale
    v2:i32 = imul v0, v1
    v3:i32 = iconst 0
    boundscheck mem0, v3, 4
    v4:i32 = load mem0[v3 + 0]
    v5:i32 = iadd v2, v4
    store mem0[v3 + 0], v5
    return v5
}

func $unused() -> i32 {
b0:
    v0:i32 = iconst 99
    return v0
}

export "mul" func $mul
export "calls" global $calls
export "mem" memory mem0
export "unused" func $unused
`

const linkExecMain = `
memory mem0 min 1
import global $calls mut i32 from "lib" "calls"
import memory mem1 min 1 from "lib" "mem"
import func $mul(i32) -> i32 from "lib" "mul"

func $run(i32) -> i32 {
b0(v0:i32):
    v1:i32 = iconst 0
    store mem0[v1 + 0], v0
    v2:i32 = callimport $mul(v0)
    v3:i32 = callimport $mul(v2)
    v4:i32 = globalget $calls
    v5:i32 = iconst 100
    v6:i32 = imul v4, v5
    v7:i32 = iadd v3, v6
    boundscheck mem1, v1, 4
    v8:i32 = load mem1[v1 + 0]
    v9:i32 = iconst 10000
    v10:i32 = imul v8, v9
    v11:i32 = iadd v7, v10
    v12:i32 = load mem0[v1 + 0]
    v13:i32 = iadd v11, v12
    return v13
}

export "run" func $run
`

// TestLinkExec runs a linked program in the interpreter and compares each result with
// the same two modules instantiated separately and linked through a [Resolver]: the
// linked program must behave exactly like the instances it replaces.
func TestLinkExec(t *testing.T) {
	parse := func(src string) *Module {
		m, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	lib, main := parse(linkExecLib), parse(linkExecMain)

	libInst, err := Instantiate(lib, nil, InterpConfig{})
	if err != nil {
		t.Fatal(err)
	}
	resolve := func(module, name string) (Extern, bool) {
		if module != "lib" {
			return Extern{}, false
		}
		return libInst.Export(name)
	}
	mainInst, err := Instantiate(main, resolve, InterpConfig{})
	if err != nil {
		t.Fatal(err)
	}

	linked, err := Link([]LinkInput{{Name: "main", Module: main}, {Name: "lib", Module: lib}}, LinkConfig{Entries: []int{0}, RequireResolved: true})
	if err != nil {
		t.Fatal(err)
	}
	if errs := VerifyModule(linked); len(errs) > 0 {
		t.Fatalf("linked module does not verify:\n%s", errorLines(errs))
	}
	if strings.Contains(linked.String(), "$unused") {
		t.Errorf("$unused survived linking:\n%s", linked)
	}
	if len(linked.Memories) != 2 {
		t.Errorf("got %d memories, want the guest's and the library's", len(linked.Memories))
	}
	prog, err := Instantiate(linked, nil, InterpConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for _, arg := range []int32{1, 2, 7, -5} {
		want, err := mainInst.Invoke("run", []Val{I32Val(arg)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := prog.Invoke("run", []Val{I32Val(arg)})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0] != want[0] {
			t.Errorf("run(%d) = %v linked, %v separately", arg, got, want)
		}
	}
}

// TestLinkExecStarts runs name_collisions, whose two start functions the linker chains
// into one: both must have run, in input order, before the export is called, as when
// lib and main are instantiated one after the other.
func TestLinkExecStarts(t *testing.T) {
	a, err := txtar.ParseFile("testdata/link/name_collisions.txtar")
	if err != nil {
		t.Fatal(err)
	}
	mods, cfg := linkCase(t, a)
	main, lib := mods[0].Module, mods[1].Module
	libInst, err := Instantiate(lib, nil, InterpConfig{})
	if err != nil {
		t.Fatal(err)
	}
	mainInst, err := Instantiate(main, func(module, name string) (Extern, bool) {
		if module != "lib" {
			return Extern{}, false
		}
		return libInst.Export(name)
	}, InterpConfig{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := mainInst.Invoke("start", nil)
	if err != nil {
		t.Fatal(err)
	}
	linked, err := Link(mods, cfg)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Instantiate(linked, nil, InterpConfig{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := prog.Invoke("start", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != want[0] || want[0] != I32Val(7) {
		t.Errorf("start() = %v linked, %v separately, want i32:7", got, want)
	}
}

// TestLinkExportAs links two entries that both export "f": their exports collide unless
// each input's ExportAs prefixes them, and b's import of a's "f" still resolves by a's
// Name and the original export name.
func TestLinkExportAs(t *testing.T) {
	a, err := Parse("func $f() -> i32 {\nb0:\n    v0:i32 = iconst 1\n    return v0\n}\n\nexport \"f\" func $f\n")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(`import func $af() -> i32 from "a" "f"

func $f() -> i32 {
b0:
    v0:i32 = callimport $af()
    v1:i32 = iconst 10
    v2:i32 = iadd v0, v1
    return v2
}

export "f" func $f
`)
	if err != nil {
		t.Fatal(err)
	}
	cfg := LinkConfig{Entries: []int{0, 1}, RequireResolved: true}
	_, err = Link([]LinkInput{{Name: "a", Module: a}, {Name: "b", Module: b}}, cfg)
	if want := `link: export "f" is in both a and b`; err == nil || err.Error() != want {
		t.Errorf("without ExportAs: got error %v, want %s", err, want)
	}

	out, err := Link([]LinkInput{{Name: "a", Module: a, ExportAs: "a:"}, {Name: "b", Module: b, ExportAs: "b:"}}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if errs := VerifyModule(out); len(errs) > 0 {
		t.Fatalf("linked module does not verify:\n%s\n%s", errorLines(errs), out)
	}
	var names []string
	for _, x := range out.Exports {
		names = append(names, x.Name)
	}
	if want := []string{"a:f", "b:f"}; !slices.Equal(names, want) {
		t.Errorf("exports %q, want %q", names, want)
	}
	prog, err := Instantiate(out, nil, InterpConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		want int32
	}{{"a:f", 1}, {"b:f", 11}} {
		got, err := prog.Invoke(c.name, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(got) != 1 || got[0] != I32Val(c.want) {
			t.Errorf("%s() = %v, want i32:%d", c.name, got, c.want)
		}
	}
	if _, ok := prog.Export("f"); ok {
		t.Errorf("the output still exports a bare \"f\"")
	}
}
