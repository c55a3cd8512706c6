package machorun_test

import (
	"bufio"
	"bytes"
	"debug/macho"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/internal/machorun"
)

// handMade are the hand-made test files of both darwin architectures.
func handMade(t *testing.T) map[string][]byte {
	return map[string][]byte{
		"amd64-hello":  helloImage(t),
		"amd64-signal": signalImage(t, 4, -1, nil, []byte{0x0f, 0x0b}, true),
		"arm64-hello":  helloARM64(t),
	}
}

// TestStructure has LLVM's Mach-O readers read the hand-made files of both architectures
// without a complaint, and recomputes their code signatures' page hashes
// (machorun.CheckStructure); the arm64 file must be signed. The check must be able to fail:
// a byte changed in the arm64 file's code breaks its page's hash.
func TestStructure(t *testing.T) {
	dir := t.TempDir()
	files := handMade(t)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for n := range files {
			if !yield(n) {
				return
			}
		}
	}) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, files[name], 0o755); err != nil {
			t.Fatal(err)
		}
		if err := machorun.CheckStructure(path); err != nil {
			if errors.Is(err, exec.ErrNotFound) && os.Getenv("CI") != "true" {
				t.Skip(err)
			}
			t.Errorf("%s: %v", name, err)
		}
	}
	b := bytes.Clone(files["arm64-hello"])
	if err := machorun.CheckSignature(b); err != nil {
		t.Fatalf("arm64 hello: %v", err)
	}
	f, err := macho.NewFile(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	text := f.Section("__text")
	b[text.Offset] ^= 1
	if err := machorun.CheckSignature(b); err == nil || !strings.Contains(err.Error(), "code slot 0") {
		t.Errorf("a changed code byte: %v; want code slot 0's hash to differ", err)
	}
}

// loadCommands lists a Mach-O file's load commands as lines that name each by its type and
// what tells two of a type apart: a segment's name, a library's or the dynamic linker's
// path, the build version's platform and minimum OS.
func loadCommands(t *testing.T, b []byte) []string {
	t.Helper()
	f, err := macho.NewFile(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	for _, l := range f.Loads {
		raw := l.Raw()
		cmd := f.ByteOrder.Uint32(raw)
		name, ok := lcNames[cmd]
		if !ok {
			name = fmt.Sprintf("LC_%#x", cmd)
		}
		switch l := l.(type) {
		case *macho.Segment:
			name += " " + l.Name
		case *macho.Dylib:
			name += " " + l.Name
		}
		switch cmd {
		case 0xe: // LC_LOAD_DYLINKER: lc_str at offset 8
			off := f.ByteOrder.Uint32(raw[8:])
			name += " " + strings.TrimRight(string(raw[off:]), "\x00")
		case 0x32: // LC_BUILD_VERSION: platform, minos (xxxx.yy.zz)
			minos := f.ByteOrder.Uint32(raw[12:])
			name += fmt.Sprintf(" platform %d minos %d.%d", f.ByteOrder.Uint32(raw[8:]), minos>>16, minos>>8&0xff)
		}
		cmds = append(cmds, name)
	}
	return cmds
}

// lcNames are the load commands' names (<mach-o/loader.h>).
var lcNames = map[uint32]string{
	0x2: "LC_SYMTAB", 0x5: "LC_UNIXTHREAD", 0xb: "LC_DYSYMTAB", 0xc: "LC_LOAD_DYLIB", 0xe: "LC_LOAD_DYLINKER",
	0x19: "LC_SEGMENT_64", 0x1b: "LC_UUID", 0x1d: "LC_CODE_SIGNATURE", 0x26: "LC_FUNCTION_STARTS",
	0x29: "LC_DATA_IN_CODE", 0x2a: "LC_SOURCE_VERSION", 0x32: "LC_BUILD_VERSION",
	0x80000022: "LC_DYLD_INFO_ONLY", 0x80000028: "LC_MAIN", 0x80000033: "LC_DYLD_EXPORTS_TRIE",
	0x80000034: "LC_DYLD_CHAINED_FIXUPS",
}

// TestLoadCommandsVsGo compares the load commands of the hand-made files, as wasmc's Mach-O
// writer lays them out, with those of an empty Go program built by `go build` for
// darwin/arm64 and darwin/amd64 (Go's executables run on real Macs): every command one has
// and the other lacks must be explained in testdata/loadcmds.txt, and every explanation
// there must still be needed.
func TestLoadCommandsVsGo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs for darwin")
	}
	explained, err := readExplanations("testdata/loadcmds.txt")
	if err != nil {
		t.Fatal(err)
	}
	files := handMade(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, goarch := range []string{"amd64", "arm64"} {
		exe := filepath.Join(dir, "go-"+goarch)
		cmd := exec.Command("go", "build", "-o", exe, src)
		cmd.Env = append(os.Environ(), "GOOS=darwin", "GOARCH="+goarch, "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build for darwin/%s: %v\n%s", goarch, err, out)
		}
		goFile, err := os.ReadFile(exe)
		if err != nil {
			t.Fatal(err)
		}
		ours, theirs := loadCommands(t, files[goarch+"-hello"]), loadCommands(t, goFile)
		t.Logf("darwin/%s: wasmc's load commands:\n\t%s\nGo's:\n\t%s", goarch, strings.Join(ours, "\n\t"),
			strings.Join(theirs, "\n\t"))
		diff := map[string]bool{}
		for _, c := range ours {
			if !slices.Contains(theirs, c) {
				diff[goarch+" + "+c] = true
			}
		}
		for _, c := range theirs {
			if !slices.Contains(ours, c) {
				diff[goarch+" - "+c] = true
			}
		}
		for d := range diff {
			if _, ok := explained[d]; !ok {
				t.Errorf("unexplained difference %q (+ wasmc has it, - Go has it): explain it in testdata/loadcmds.txt", d)
			}
		}
		for d := range explained {
			if strings.HasPrefix(d, goarch+" ") && !diff[d] {
				t.Errorf("testdata/loadcmds.txt explains %q, which is no longer a difference", d)
			}
		}
	}
}

// readExplanations reads testdata/loadcmds.txt: a difference on a line of its own ("ARCH +
// COMMAND" for one only wasmc's file has, "ARCH - COMMAND" for one only Go's has), then
// its explanation on indented lines; # starts a comment line.
func readExplanations(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string]string{}
	var last string
	s := bufio.NewScanner(f)
	for n := 1; s.Scan(); n++ {
		line := s.Text()
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "\t") || strings.HasPrefix(line, " "):
			if last == "" {
				return nil, fmt.Errorf("%s:%d: an explanation of nothing", path, n)
			}
			m[last] += strings.TrimSpace(line) + " "
		default:
			if _, dup := m[line]; dup {
				return nil, fmt.Errorf("%s:%d: %q twice", path, n, line)
			}
			last, m[line] = line, ""
		}
	}
	for d, why := range m {
		if why == "" {
			return nil, fmt.Errorf("%s: %q is not explained", path, d)
		}
	}
	return m, s.Err()
}
