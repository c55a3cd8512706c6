package machorun_test

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/wasmc/wasmc/backend"
)

// An a64 program is hand-assembled arm64 code (each word checked against GNU as) whose
// PC-relative references are resolved once the image is laid out.
type a64 struct {
	words []uint32
	fixes []a64fix
}

type a64fix struct {
	at   int // index of the word
	kind a64kind
	to   func(l *backend.Layout) uint64
}

// a64kind is the PC-relative field a fix fills.
type a64kind int

const (
	imm19 a64kind = iota // ldr (literal), cbnz, b.cond: bits 5-23, in words
	imm26                // b: bits 0-25, in words
	adr                  // adr: immlo bits 29-30, immhi bits 5-23, in bytes
)

// ref appends the instruction w with a PC-relative field of kind k to to.
func (p *a64) ref(w uint32, k a64kind, to func(l *backend.Layout) uint64) {
	p.fixes = append(p.fixes, a64fix{len(p.words), k, to})
	p.words = append(p.words, w)
}

// ins appends instructions.
func (p *a64) ins(w ...uint32) { p.words = append(p.words, w...) }

// ldr appends `ldr xT, label`, label 8-byte aligned within 1 MiB: the load of an import
// slot or of a pointer in data.
func (p *a64) ldr(rt uint32, to func(l *backend.Layout) uint64) { p.ref(0x58000000|rt, imm19, to) }

// linkARM64 lays out img with p's code as darwin/arm64, resolves p's references and img's
// pointers (each pointer's field holds the offset it points to in rodata), and writes the
// Mach-O.
func linkARM64(t *testing.T, img *backend.Image, p *a64) []byte {
	t.Helper()
	img.Target = backend.Target{Arch: backend.ArchARM64, OS: backend.OSDarwin}
	img.Text = backend.Segment{Data: make([]byte, 4*len(p.words)), Align: 16}
	l, err := backend.LayoutMachO(img)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	for _, f := range p.fixes {
		pc := l.Addr(backend.SegText, uint64(4*f.at))
		d := int64(f.to(l)) - int64(pc)
		if f.kind != adr && d%4 != 0 || d < -1<<20 || d >= 1<<20 {
			t.Fatalf("instruction at %#x: target %+d bytes away", pc, d)
		}
		switch f.kind {
		case imm19:
			p.words[f.at] |= uint32(d/4) & 0x7ffff << 5
		case imm26:
			p.words[f.at] |= uint32(d/4) & 0x3ffffff
		case adr:
			p.words[f.at] |= uint32(d)&3<<29 | uint32(d>>2)&0x7ffff<<5
		}
	}
	for i, w := range p.words {
		le.PutUint32(img.Text.Data[4*i:], w)
	}
	return writeImage(t, img, l)
}

// helloARM64 is helloImage for darwin/arm64: main() { return write(1, msg, 6) == 6 ? 42 : 1; }
// with msg reached through a rebased pointer in data and write through its bound slot. It
// writes x18 before the call: Apple reserves the register, so nothing of the loader's or the
// shim's may depend on it, and Linux code does not.
func helloARM64(t *testing.T) []byte {
	var p a64
	p.ins(0xa9bf7bfd, 0x910003fd) // stp x29, x30, [sp, #-16]!; mov x29, sp
	p.ins(0xd29bd5b2)             // mov x18, #0xdead
	p.ins(0xd2800020)             // mov x0, #1
	p.ldr(1, at(backend.SegData, 0))
	p.ins(0xd28000c2) // mov x2, #6
	p.ldr(16, slot(0))
	p.ins(0xd63f0200)             // blr x16
	p.ins(0xf100181f)             // cmp x0, #6
	p.ins(0x52800540, 0x52800021) // mov w0, #42; mov w1, #1
	p.ins(0x1a810000)             // csel w0, w0, w1, eq
	p.ins(0xa8c17bfd, 0xd65f03c0) // ldp x29, x30, [sp], #16; ret
	img := &backend.Image{
		Name:     "hello",
		Rodata:   backend.Segment{Data: []byte("hello\n"), Align: 8},
		Data:     backend.Segment{Data: make([]byte, 8), Align: 8},
		Imports:  []backend.Import{{Name: "write"}},
		Pointers: []backend.Pointer{{Seg: backend.SegData, Off: 0}},
		Symbols:  []backend.Symbol{{Name: "main", Seg: backend.SegText, Size: uint64(4 * len(p.words))}},
	}
	return linkARM64(t, img, &p)
}

// TestHelloARM64 runs the darwin/arm64 hello through the loader built for aarch64, under
// qemu on an amd64 host: "hello\n" and exit status 42 mean the segments were mapped at
// 16 KiB pages, the pointer rebased, write bound, and main's value passed to exit.
func TestHelloARM64(t *testing.T) {
	b := helloARM64(t)
	stdout, stderr, err := runArch(t, "arm64", b)
	if stdout != "hello\n" || exitCode(err) != 42 || stderr != "" {
		t.Errorf("stdout %q, stderr %q, %v; want \"hello\\n\" and exit status 42", stdout, stderr, err)
	}
	// The amd64 loader refuses it in one line.
	_, stderr, err = run(t, b)
	if exitCode(err) != 125 || stderr == "" {
		t.Errorf("amd64 loader: stderr %q, %v; want exit status 125", stderr, err)
	}
}

// TestVariadicARM64 has a darwin/arm64 main(argc, argv) call open(argv[1],
// O_WRONLY|O_CREAT, 0640) and fcntl(fd, F_DUPFD, 50) as Apple's ABI passes variadic
// arguments, in an 8-byte stack slot each, with garbage (0x7777) in x2 where AAPCS64 would
// put them: the file must have mode 0640 and the duplicate be descriptor 50 (exit status 42).
func TestVariadicARM64(t *testing.T) {
	var p a64
	p.ins(0xa9bf7bfd, 0x910003fd) // stp x29, x30, [sp, #-16]!; mov x29, sp
	p.ins(0xd10043ff)             // sub sp, sp, #16: the variadic argument's slot
	p.ins(0xf9400420)             // ldr x0, [x1, #8]: argv[1]
	p.ins(0x52804021)             // mov w1, #0x201: O_WRONLY|O_CREAT
	p.ins(0x528eeee2)             // mov w2, #0x7777
	p.ins(0xd2803409, 0xf90003e9) // mov x9, #0640; str x9, [sp]
	p.ldr(16, slot(0))
	p.ins(0xd63f0200)             // blr x16: open
	p.ins(0x52800001)             // mov w1, #0: F_DUPFD
	p.ins(0x528eeee2)             // mov w2, #0x7777
	p.ins(0xd2800649, 0xf90003e9) // mov x9, #50; str x9, [sp]
	p.ldr(16, slot(1))
	p.ins(0xd63f0200)             // blr x16: fcntl
	p.ins(0x7100c81f)             // cmp w0, #50
	p.ins(0x52800540, 0x52800021) // mov w0, #42; mov w1, #1
	p.ins(0x1a810000)             // csel w0, w0, w1, eq
	p.ins(0x910043ff)             // add sp, sp, #16
	p.ins(0xa8c17bfd, 0xd65f03c0) // ldp x29, x30, [sp], #16; ret
	img := &backend.Image{Imports: []backend.Import{{Name: "open"}, {Name: "fcntl"}}}
	path := filepath.Join(t.TempDir(), "created")
	stdout, stderr, err := runArch(t, "arm64", linkARM64(t, img, &p), path)
	if exitCode(err) != 42 {
		t.Errorf("stdout %q, stderr %q, %v; want exit status 42 (fcntl(F_DUPFD, 50) gave 50)", stdout, stderr, err)
	}
	if st, err := os.Stat(path); err != nil {
		t.Errorf("open's file: %v", err)
	} else if st.Mode().Perm() != 0o640 {
		t.Errorf("open's file has mode %v; want -rw-r-----", st.Mode())
	}
}
