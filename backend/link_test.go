package backend_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/amd64"
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// stubRuntime is a runtime that links but does not run: the entry point, every routine and
// every import are a ud2 each.
func stubRuntime() *backend.Runtime {
	ud2 := []byte{0x0f, 0x0b}
	rt := &backend.Runtime{}
	rt.Bytes = append(rt.Bytes, ud2...)
	for i := range rt.Routines {
		rt.Routines[i] = uint32(len(rt.Bytes))
		rt.Bytes = append(rt.Bytes, ud2...)
	}
	imp := uint32(len(rt.Bytes))
	rt.Bytes = append(rt.Bytes, ud2...)
	rt.Import = func(ir.ImportName) (uint32, bool) { return imp, true }
	rt.Symbols = []backend.Symbol{{Name: "_start", Size: 2, Kind: backend.SymFunc}}
	return rt
}

var linuxAMD64 = backend.Target{Arch: backend.ArchAMD64, OS: backend.OSLinux}

func linkWrite(t *testing.T, p *backend.Program) []byte {
	t.Helper()
	img, err := backend.Link(p, linuxAMD64, stubRuntime())
	if err != nil {
		t.Fatal(err)
	}
	b, err := backend.Write(img)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// compileWith compiles m with GOMAXPROCS set to procs.
func compileWith(t *testing.T, m *ir.Module, procs int) *backend.Program {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	p, err := backend.Compile(m, amd64.New(), backend.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLinkLarge links the large module at -O2 into an ELF executable that readelf reads
// without a warning, and checks that the bytes depend on nothing but the input: linking
// twice, and compiling with GOMAXPROCS 1 and 2, give the same file (STYLE §2.7).
func TestLinkLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("the large module takes seconds to compile")
	}
	m, _ := lowerLarge(t, 2)
	p1 := compileWith(t, m, 1)
	p2 := compileWith(t, m, 2)
	a, b, c := linkWrite(t, p1), linkWrite(t, p1), linkWrite(t, p2)
	if !bytes.Equal(a, b) {
		t.Error("linking the same program twice gave different files")
	}
	if !bytes.Equal(a, c) {
		t.Error("compiling with GOMAXPROCS=1 and 2 gave different files")
	}
	t.Logf("%d functions, %d bytes of code, %d bytes of ELF", len(m.Funcs), p1.CodeSize(), len(a))
	readelf, err := exec.LookPath("readelf")
	if err != nil {
		t.Skip("no readelf")
	}
	path := filepath.Join(t.TempDir(), "gobig")
	if err := os.WriteFile(path, a, 0o755); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(readelf, "-a", "-W", path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("readelf: %v\n%s", err, stderr.String())
	}
	if stderr.Len() > 0 || strings.Contains(strings.ToLower(stdout.String()), "warning") {
		t.Errorf("readelf complains:\n%s", stderr.String())
	}
	if !strings.Contains(stdout.String(), " $") {
		t.Error("readelf lists no function symbols")
	}
}

// TestLinkErrors checks that the linker refuses, with an error naming the culprit, what it
// cannot bind.
func TestLinkErrors(t *testing.T) {
	m, err := ir.Parse(`
import func $imp(i32) from "env" "f"
func $g(i32) {
b0(v0:i32):
    callimport $imp(v0)
    return
}
`)
	if err != nil {
		t.Fatal(err)
	}
	p, err := backend.Compile(m, amd64.New(), backend.Config{Check: true})
	if err != nil {
		t.Fatal(err)
	}
	rt := stubRuntime()
	rt.Import = nil
	if _, err := backend.Link(p, linuxAMD64, rt); err == nil || !strings.Contains(err.Error(), "env.f") {
		t.Errorf("unbound import: got %v, want an error naming env.f", err)
	}
	if _, err := backend.Link(p, backend.Target{Arch: backend.ArchARM64, OS: backend.OSLinux}, stubRuntime()); err == nil {
		t.Error("linking amd64 code for arm64 succeeded")
	}
	if _, err := backend.Link(p, linuxAMD64, stubRuntime()); err != nil {
		t.Errorf("bound import: %v", err)
	}
}

// TestLinkOverlappingElems: active element segments apply in order, so where two write
// the same slot, the later one's element is the slot's, a null included (issue 19,
// found by wasmgen's Bare modules through amd64's TestDiffRandom). The linker wrote both:
// the slot's pointer was listed twice, an image error, and a ref.func under a later null
// stayed.
func TestLinkOverlappingElems(t *testing.T) {
	m, err := ir.Parse(`
table table0 funcref min 4

func $f() {
b0:
    return
}

elem elem0 active table0 at iconst 0 funcref [reffunc $f, reffunc $f, reffunc $f]
elem elem1 active table0 at iconst 1 funcref [refnull]
elem elem2 active table0 at iconst 2 funcref [reffunc $f, reffunc $f]
`)
	if err != nil {
		t.Fatal(err)
	}
	p, err := backend.Compile(m, amd64.New(), backend.Config{Check: true})
	if err != nil {
		t.Fatal(err)
	}
	img, err := backend.Link(p, linuxAMD64, stubRuntime())
	if err != nil {
		t.Fatal(err)
	}
	var table *backend.Symbol
	for i, s := range img.Symbols {
		if s.Name == "wasmc.table0" {
			table = &img.Symbols[i]
		}
	}
	if table == nil {
		t.Fatal("no symbol wasmc.table0")
	}
	count := make([]int, 4)
	for _, ptr := range img.Pointers {
		if ptr.Seg == table.Seg && ptr.Off >= table.Off && ptr.Off < table.Off+32 {
			count[(ptr.Off-table.Off)/8]++
		}
	}
	if want := []int{1, 0, 1, 1}; !slices.Equal(count, want) {
		t.Errorf("pointers per slot of table0: %v, want %v (slot 1 null, each other slot once)", count, want)
	}
	if _, err := backend.Write(img); err != nil {
		t.Error(err)
	}
}
