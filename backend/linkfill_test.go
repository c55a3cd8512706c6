package backend

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
)

// fillProgram is n functions of assorted sizes, together several of fill's chunks, each of
// which calls the next, takes the previous one's funcref and, on arm64, reaches it with
// adrp and add, so that every function has relocations to apply.
func fillProgram(n int, arch Arch) *Program {
	m := &ir.Module{}
	p := &Program{Module: m, Arch: arch, FuncTypeIDs: make([]uint32, n)}
	for i := range n {
		m.AddFunc(&ir.Func{Name: fmt.Sprintf("f%d", i)})
		b := make([]byte, 4*(16+i*37%500)+4*(i%2))
		for j := range b {
			b[j] = byte(i*7 + j)
		}
		next := SymRef{Kind: RefFunc, Index: uint32((i + 1) % n)}
		prev := SymRef{Kind: RefFuncRef, Index: uint32((i + n - 1) % n)}
		rs := []Reloc{{Offset: 4, Kind: RelocPC32, Sym: next, Addend: -4}, {Offset: 12, Kind: RelocAbs64, Sym: prev}}
		if arch == ArchARM64 {
			rs = []Reloc{{Offset: 4, Kind: RelocARM64Call26, Sym: next},
				{Offset: 8, Kind: RelocARM64AdrpPage21, Sym: prev}, {Offset: 12, Kind: RelocARM64AddLo12, Sym: prev}}
		}
		p.Code = append(p.Code, &Code{Bytes: b, Relocs: rs})
	}
	return p
}

func fillRuntime() *Runtime {
	rt := &Runtime{Code: Code{Bytes: make([]byte, 100)}}
	for i := range rt.Routines {
		rt.Routines[i] = uint32(4 * i)
	}
	return rt
}

// linkBoth links p in parallel, with GOMAXPROCS 4, and serially, and returns both files or
// both errors.
func linkBoth(t *testing.T, p *Program, target Target) (par, ser []byte, perr, serr error) {
	t.Helper()
	file := func(serial bool) ([]byte, error) {
		img, err := link(p, target, fillRuntime(), serial)
		if err != nil {
			return nil, err
		}
		return Write(img)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	par, perr = file(false)
	ser, serr = file(true)
	return par, ser, perr, serr
}

// TestFillMatchesSerial: copying and relocating the code in parallel chunks gives the file
// that doing it one function after another does, on both architectures and file formats.
func TestFillMatchesSerial(t *testing.T) {
	for _, target := range []Target{{ArchAMD64, OSLinux}, {ArchARM64, OSLinux}, {ArchARM64, OSDarwin}} {
		p := fillProgram(3000, target.Arch)
		if target.OS == OSDarwin {
			for _, c := range p.Code {
				c.Relocs = c.Relocs[:1] // no absolute address in code: it cannot slide
			}
		}
		if len((&linker{p: p}).chunks()) < 4 {
			t.Fatal("the program fits in fewer than three chunks: nothing runs in parallel")
		}
		par, ser, perr, serr := linkBoth(t, p, target)
		if perr != nil || serr != nil {
			t.Fatalf("%v: %v, %v", target, perr, serr)
		}
		if !bytes.Equal(par, ser) {
			t.Errorf("%v: parallel and serial fill give different files", target)
		}
	}
}

// TestFillErrors: when functions in different chunks fail, the error names the first in
// index order, as a serial link's does.
func TestFillErrors(t *testing.T) {
	p := fillProgram(3000, ArchAMD64)
	bad := SymRef{Kind: RefGlobal, Index: 7}
	p.Code[2500].Relocs[0].Sym = bad
	p.Code[1700].Relocs[1].Sym = bad
	_, _, perr, serr := linkBoth(t, p, Target{ArchAMD64, OSLinux})
	if perr == nil || !strings.Contains(perr.Error(), "$f1700:") {
		t.Errorf("got %v, want an error naming $f1700", perr)
	}
	if perr == nil || serr == nil || perr.Error() != serr.Error() {
		t.Errorf("parallel fill says %v, serial %v", perr, serr)
	}
}

// TestFillOutsideFunction: a relocation past the end of its function's code patches the
// next function's bytes, which only a serial fill orders after that function's copy; fill
// must give the same file.
func TestFillOutsideFunction(t *testing.T) {
	p := fillProgram(3000, ArchAMD64)
	c := p.Code[1200]
	c.Relocs = append(c.Relocs, Reloc{Offset: uint32(len(c.Bytes) + 20), Kind: RelocPC32, Sym: SymRef{Kind: RefFunc, Index: 5}})
	par, ser, perr, serr := linkBoth(t, p, Target{ArchAMD64, OSLinux})
	if perr != nil || serr != nil {
		t.Fatalf("%v, %v", perr, serr)
	}
	if !bytes.Equal(par, ser) {
		t.Error("parallel and serial fill give different files")
	}
}

// TestWriteInPlace: the file Link lays the segments out in is handed to one write only, and
// a write after a segment was replaced copies it rather than trusting the old place.
func TestWriteInPlace(t *testing.T) {
	target := Target{ArchAMD64, OSLinux}
	img, err := Link(fillProgram(300, ArchAMD64), target, fillRuntime())
	if err != nil {
		t.Fatal(err)
	}
	a, err := Write(img)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Write(img)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) || &a[0] == &b[0] {
		t.Error("two writes of one image differ or share memory")
	}
	img, err = Link(fillProgram(300, ArchAMD64), target, fillRuntime())
	if err != nil {
		t.Fatal(err)
	}
	text := bytes.Clone(img.Text.Data)
	clear(img.Text.Data)
	img.Text.Data = text
	if c, err := Write(img); err != nil || !bytes.Equal(a, c) {
		t.Errorf("writing an image whose text was replaced: %v, or different bytes", err)
	}
}
