package wasifixture

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGoldenRoundTrip(t *testing.T) {
	g := &Golden{Comment: "a comment\n", Runs: map[string]Run{
		MainRun:    {Stdout: "line one\nline two\n", Status: 3},
		"no_nl":    {Stdout: "cut short", Status: 1},
		"empty":    {Stdout: "", Status: 0},
		"trailing": {Stdout: "two newlines\n\n", Status: 125},
	}}
	path := filepath.Join(t.TempDir(), "x.golden")
	if err := os.WriteFile(path, g.Format(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadGolden(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(g, got); d != "" {
		t.Errorf("golden changed in a round trip (-want +got):\n%s", d)
	}
}

func TestReadGoldenErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"-- stdout --\nx\n", "want RUN/stdout or RUN/status"},
		{"-- main/stderr --\nx\n", "want RUN/stdout or RUN/status"},
		{"-- main/status --\nthree\n", "main/status"},
	} {
		path := filepath.Join(t.TempDir(), "bad.golden")
		os.WriteFile(path, []byte(tc.text), 0o644)
		if _, err := ReadGolden(path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadGolden(%q): error %v, want one containing %q", tc.text, err, tc.want)
		}
	}
}

func TestFixtureBuildAndSnapshot(t *testing.T) {
	src := filepath.Join(t.TempDir(), "fixture.txt")
	os.WriteFile(src, []byte(`# a comment
dir out
file out/secret.txt "s\n"
dir box
file box/a.txt "a"
symlink box/up -> ../out
preopen box /box
arg "x y"
env "K=v=w"
stdin "in\n"
`), 0o644)
	fx, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"x y"}, fx.Args); d != "" {
		t.Error(d)
	}
	if fx.Env[0] != "K=v=w" || fx.Stdin != "in\n" || fx.Preopens[0] != (Preopen{"box", "/box"}) {
		t.Errorf("parsed %+v", fx)
	}
	if got := fx.RunArgs("case"); len(got) != 2 || got[1] != "case" {
		t.Errorf("RunArgs(case) = %q", got)
	}
	if got := fx.RunArgs(MainRun); len(got) != 1 {
		t.Errorf("RunArgs(main) = %q", got)
	}
	tree := filepath.Join(t.TempDir(), "tree")
	if err := fx.Build(tree); err != nil {
		t.Fatal(err)
	}
	before, err := fx.Snapshot(tree)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := before["box/a.txt"]; ok {
		t.Error("the snapshot looks inside the preopened directory")
	}
	// Inside the preopen, changes are the program's business; outside, they show.
	os.WriteFile(filepath.Join(tree, "box", "a.txt"), []byte("changed"), 0o644)
	same, _ := fx.Snapshot(tree)
	if d := Diff(before, same); d != "" {
		t.Errorf("a change inside the preopen shows: %s", d)
	}
	os.WriteFile(filepath.Join(tree, "out", "secret.txt"), []byte("leaked"), 0o644)
	os.WriteFile(filepath.Join(tree, "new.txt"), nil, 0o644)
	after, _ := fx.Snapshot(tree)
	d := Diff(before, after)
	if !strings.Contains(d, "changed out/secret.txt") || !strings.Contains(d, "created new.txt") {
		t.Errorf("Diff missed changes outside the preopen:\n%s", d)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"dir", "want: dir PATH"},
		{"file a.txt unquoted", "want: file PATH STRING"},
		{"symlink a", "want: symlink PATH -> TARGET"},
		{"preopen a", "want: preopen PATH GUEST"},
		{`env "NOEQUALS"`, "env entry without '='"},
		{"frobnicate x", "unknown keyword"},
	} {
		src := filepath.Join(t.TempDir(), "fixture.txt")
		os.WriteFile(src, []byte("# first line\n"+tc.line+"\n"), 0o644)
		_, err := Parse(src)
		if err == nil || !strings.Contains(err.Error(), ":2: "+tc.want) {
			t.Errorf("Parse(%q): error %v, want line 2 and %q", tc.line, err, tc.want)
		}
	}
}
