package wasifixture

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Fixture is the parsed form of a fixture file.
//
// Line format (blank lines and lines starting with '#' are ignored; STRING is a
// Go double-quoted string literal; paths are relative to the fixture root,
// '/'-separated, and never contain spaces):
//
//	dir PATH                  create directory PATH (mode 0755)
//	file PATH STRING          create regular file PATH with that content (0644)
//	symlink PATH -> TARGET    create symlink PATH to TARGET, verbatim
//	preopen PATH GUEST        preopen directory PATH as guest path GUEST
//	arg STRING                one program argument (argv[1], argv[2], ...)
//	env STRING                one environment entry "K=V", in order
//	stdin STRING              the whole of standard input
//
// Entries are created in file order, so a parent comes before its children.
type Fixture struct {
	Entries  []Entry
	Preopens []Preopen
	Args     []string
	Env      []string
	Stdin    string
}

// Entry is one file system object of the tree.
type Entry struct {
	Kind    string // "dir", "file" or "symlink"
	Path    string
	Content string // a file's content or a symlink's target
}

// Preopen is a directory of the tree given to the program as Guest.
type Preopen struct {
	Path, Guest string
}

// Parse reads the fixture file at path.
func Parse(path string) (*Fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fx := &Fixture{}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func(why string) error { return fmt.Errorf("%s:%d: %s: %q", path, n, why, line) }
		kw, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		switch kw {
		case "dir":
			if rest == "" || strings.Contains(rest, " ") {
				return nil, bad("want: dir PATH")
			}
			fx.Entries = append(fx.Entries, Entry{Kind: "dir", Path: rest})
		case "file":
			p, lit, ok := strings.Cut(rest, " ")
			v, err := strconv.Unquote(strings.TrimSpace(lit))
			if !ok || err != nil {
				return nil, bad("want: file PATH STRING")
			}
			fx.Entries = append(fx.Entries, Entry{Kind: "file", Path: p, Content: v})
		case "symlink":
			p, target, ok := strings.Cut(rest, " -> ")
			if !ok || target == "" {
				return nil, bad("want: symlink PATH -> TARGET")
			}
			fx.Entries = append(fx.Entries, Entry{Kind: "symlink", Path: strings.TrimSpace(p), Content: target})
		case "preopen":
			f := strings.Fields(rest)
			if len(f) != 2 {
				return nil, bad("want: preopen PATH GUEST")
			}
			fx.Preopens = append(fx.Preopens, Preopen{f[0], f[1]})
		case "arg", "env", "stdin":
			v, err := strconv.Unquote(rest)
			if err != nil {
				return nil, bad("bad string literal")
			}
			switch kw {
			case "arg":
				fx.Args = append(fx.Args, v)
			case "env":
				if !strings.Contains(v, "=") {
					return nil, bad("env entry without '='")
				}
				fx.Env = append(fx.Env, v)
			case "stdin":
				fx.Stdin = v
			}
		default:
			return nil, bad("unknown keyword")
		}
	}
	return fx, sc.Err()
}

// Build creates the fixture's tree in dir, which must not exist yet.
func (fx *Fixture) Build(dir string) error {
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	for _, e := range fx.Entries {
		p := filepath.Join(dir, filepath.FromSlash(e.Path))
		var err error
		switch e.Kind {
		case "dir":
			err = os.Mkdir(p, 0o755)
		case "file":
			err = os.WriteFile(p, []byte(e.Content), 0o644)
		case "symlink":
			err = os.Symlink(e.Content, p)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
