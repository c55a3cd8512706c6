package wasifixture

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/txtar"
)

// MainRun names the run without extra arguments. Every other run's name is the one
// extra argument it appends to the fixture's.
const MainRun = "main"

// Run is what one run of a program printed and how it ended.
type Run struct {
	Stdout string
	Status int
}

// Golden is the expected outcome of every run of one program, by run name.
type Golden struct {
	Comment string
	Runs    map[string]Run
}

// noNewline marks, as diff does, stdout that does not end in a newline, which txtar
// could not otherwise keep.
const noNewline = "\n\\ No newline at end of output\n"

// Format encodes g as a txtar archive: for each run R, sorted, files R/stdout and
// R/status.
func (g *Golden) Format() []byte {
	names := make([]string, 0, len(g.Runs))
	for name := range g.Runs {
		names = append(names, name)
	}
	sort.Strings(names)
	a := &txtar.Archive{Comment: []byte(g.Comment)}
	for _, name := range names {
		r := g.Runs[name]
		out := r.Stdout
		if out != "" && !strings.HasSuffix(out, "\n") {
			out += noNewline
		}
		a.Files = append(a.Files,
			txtar.File{Name: name + "/stdout", Data: []byte(out)},
			txtar.File{Name: name + "/status", Data: []byte(strconv.Itoa(r.Status) + "\n")})
	}
	return txtar.Format(a)
}

// ReadGolden reads a golden file written by Format.
func ReadGolden(path string) (*Golden, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	a := txtar.Parse(data)
	g := &Golden{Comment: string(a.Comment), Runs: map[string]Run{}}
	for _, f := range a.Files {
		name, part, ok := strings.Cut(f.Name, "/")
		if !ok || name == "" {
			return nil, fmt.Errorf("%s: file %q: want RUN/stdout or RUN/status", path, f.Name)
		}
		r := g.Runs[name]
		switch part {
		case "stdout":
			r.Stdout = strings.TrimSuffix(string(f.Data), noNewline)
		case "status":
			n, err := strconv.Atoi(strings.TrimSpace(string(f.Data)))
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %v", path, f.Name, err)
			}
			r.Status = n
		default:
			return nil, fmt.Errorf("%s: file %q: want RUN/stdout or RUN/status", path, f.Name)
		}
		g.Runs[name] = r
	}
	return g, nil
}

// RunArgs returns the arguments of the run named name: the fixture's, then the run's own.
func (fx *Fixture) RunArgs(name string) []string {
	args := append([]string{}, fx.Args...)
	if name != MainRun {
		args = append(args, name)
	}
	return args
}
