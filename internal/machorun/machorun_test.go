package machorun_test

import (
	"bytes"
	"debug/macho"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/internal/machorun"
	"github.com/wasmc/wasmc/internal/runexe"
)

// TestDarwinHeader checks that the committed c/darwin.h is what GOROOT's darwin tables
// give: `go generate ./internal/machorun` rewrites it.
func TestDarwinHeader(t *testing.T) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	want, err := machorun.DarwinHeader(strings.TrimSpace(string(goroot)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("c/darwin.h")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("c/darwin.h is out of date: run go generate ./internal/machorun")
	}
	// A few numbers from Apple's headers, as a check on the generator itself:
	// <sys/errno.h>, <sys/fcntl.h>, <sys/mman.h>, <time.h>.
	for _, def := range []string{"DARWIN_ENAMETOOLONG 63", "DARWIN_EAGAIN 35", "DARWIN_O_CREAT 0x200",
		"DARWIN_MAP_ANON 0x1000", "DARWIN_CLOCK_MONOTONIC 0x6"} {
		if !bytes.Contains(want, []byte("#define "+def+"\n")) {
			t.Errorf("darwin.h lacks #define %s", def)
		}
	}
}

// The loaders are built once per test binary, in loaderDir, one per architecture.
var (
	loaderDir string
	loaders   = map[string]*builtLoader{}
)

type builtLoader struct {
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if loaderDir != "" {
		os.RemoveAll(loaderDir)
	}
	os.Exit(code)
}

// loaderPath returns the loader of darwin/amd64 executables.
func loaderPath(t *testing.T) string { return loaderFor(t, "amd64") }

// loaderFor returns the loader of darwin/goarch executables, building it on first use;
// without its gcc the test skips, except under CI=true.
func loaderFor(t *testing.T, goarch string) string {
	t.Helper()
	l := loaders[goarch]
	if l == nil {
		l = &builtLoader{}
		loaders[goarch] = l
		if loaderDir == "" {
			loaderDir, l.err = os.MkdirTemp("", "machorun")
		}
		if l.err == nil {
			l.path, l.err = machorun.BuildArch(loaderDir, goarch)
		}
	}
	if l.err != nil {
		skipWithout(t, l.err)
	}
	return l.path
}

// A program is hand-assembled x86-64 code with RIP-relative references that are resolved
// once the image is laid out.
type program struct {
	text  []byte
	fixes []fix
}

type fix struct {
	at int // offset of a disp32 that ends the instruction
	to func(l *backend.Layout) uint64
}

// ins appends an instruction; with to, its last 4 bytes are a RIP-relative disp32 to it.
func (p *program) ins(to func(l *backend.Layout) uint64, b ...byte) {
	p.text = append(p.text, b...)
	if to != nil {
		p.fixes = append(p.fixes, fix{len(p.text) - 4, to})
	}
}

func slot(i int) func(l *backend.Layout) uint64 {
	return func(l *backend.Layout) uint64 { return l.ImportAddr(i) }
}

func at(k backend.SegKind, off uint64) func(l *backend.Layout) uint64 {
	return func(l *backend.Layout) uint64 { return l.Addr(k, off) }
}

// link lays out img with p's code, resolves p's references and img's pointers (each
// pointer's field holds the offset it points to in rodata), and writes the Mach-O.
func link(t *testing.T, img *backend.Image, p *program) []byte {
	t.Helper()
	img.Target = backend.Target{Arch: backend.ArchAMD64, OS: backend.OSDarwin}
	img.Text = backend.Segment{Data: p.text, Align: 16}
	l, err := backend.LayoutMachO(img)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	for _, f := range p.fixes {
		next := l.Addr(backend.SegText, uint64(f.at+4))
		le.PutUint32(p.text[f.at:], uint32(int32(int64(f.to(l))-int64(next))))
	}
	return writeImage(t, img, l)
}

// helloImage is main() { return write(1, msg, 6) == 6 ? 42 : 1; }, where msg is "hello\n"
// reached through a pointer in data (so the rebase must be applied: the loader always
// slides) and write through its import slot (so the bind must be).
func helloImage(t *testing.T) []byte {
	var p program
	p.ins(nil, 0x55)                                            // push rbp: align the stack for the call
	p.ins(nil, 0xbf, 1, 0, 0, 0)                                // mov edi, 1
	p.ins(at(backend.SegData, 0), 0x48, 0x8b, 0x35, 0, 0, 0, 0) // mov rsi, [rip+msgptr]
	p.ins(nil, 0xba, 6, 0, 0, 0)                                // mov edx, 6
	p.ins(slot(0), 0xff, 0x15, 0, 0, 0, 0)                      // call [rip+write@slot]
	p.ins(nil, 0x48, 0x83, 0xf8, 6)                             // cmp rax, 6
	p.ins(nil, 0xb8, 42, 0, 0, 0)                               // mov eax, 42
	p.ins(nil, 0xb9, 1, 0, 0, 0)                                // mov ecx, 1
	p.ins(nil, 0x0f, 0x45, 0xc1)                                // cmovne eax, ecx
	p.ins(nil, 0x5d, 0xc3)                                      // pop rbp; ret
	img := &backend.Image{
		Name:     "hello",
		Rodata:   backend.Segment{Data: []byte("hello\n"), Align: 8},
		Data:     backend.Segment{Data: make([]byte, 8), Align: 8}, // msgptr: rodata+0
		Imports:  []backend.Import{{Name: "write"}},
		Pointers: []backend.Pointer{{Seg: backend.SegData, Off: 0}},
		Symbols:  []backend.Symbol{{Name: "main", Seg: backend.SegText, Size: uint64(len(p.text))}},
	}
	return link(t, img, &p)
}

// run runs the darwin/amd64 Mach-O b through the loader with args.
func run(t *testing.T, b []byte, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runArch(t, "amd64", b, args...)
}

// runTimeout bounds a run: a program that faults in a loop, as one whose signal handler
// does not redirect it does, must fail the test rather than hang it.
const runTimeout = 30 * time.Second

// runArch runs the darwin/goarch Mach-O b through its loader with args, under qemu on a
// host of the other architecture.
func runArch(t *testing.T, goarch string, b []byte, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "prog")
	if err := os.WriteFile(exe, b, 0o755); err != nil {
		t.Fatal(err)
	}
	// The loader runs under qemu on a host of the other architecture (internal/runexe
	// runs darwin executables so too, and imports this package, so this one does not
	// import it but its tests may).
	r, err := runexe.For(goarch)
	if err != nil {
		skipWithout(t, err)
	}
	cmd := r.Command(loaderFor(t, goarch), append([]string{exe}, args...)...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(runTimeout, func() { cmd.Process.Kill() })
	err = cmd.Wait()
	if !timer.Stop() {
		t.Errorf("killed after %v", runTimeout)
	}
	return o.String(), e.String(), err
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err == nil {
		return 0
	}
	return -2
}

// TestHello runs the hello Mach-O: "hello\n" on stdout and exit status 42 mean that the
// segments were mapped, the data pointer rebased, write bound to the shim, and main's return
// value passed to exit.
func TestHello(t *testing.T) {
	b := helloImage(t)
	checkObjdump(t, b)
	stdout, stderr, err := run(t, b)
	if stdout != "hello\n" || exitCode(err) != 42 || stderr != "" {
		t.Errorf("stdout %q, stderr %q, %v; want \"hello\\n\" and exit status 42", stdout, stderr, err)
	}
}

// dyldInfo returns the file offsets of the rebase and bind opcodes.
func dyldInfo(t *testing.T, b []byte) (rebase, bind uint32) {
	t.Helper()
	f, err := macho.NewFile(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range f.Loads {
		r := l.Raw()
		if binary.LittleEndian.Uint32(r) == 0x80000022 { // LC_DYLD_INFO_ONLY
			return binary.LittleEndian.Uint32(r[8:]), binary.LittleEndian.Uint32(r[16:])
		}
	}
	t.Fatal("no LC_DYLD_INFO_ONLY")
	return 0, 0
}

// TestFixupsNeeded shows that TestHello depends on the loader's fix-ups: with the bind
// opcodes cut to BIND_OPCODE_DONE the call goes through an empty slot and crashes; with the
// rebase opcodes cut the message pointer is the unslid address, write fails, and main
// returns 1.
func TestFixupsNeeded(t *testing.T) {
	b := helloImage(t)
	rebase, bind := dyldInfo(t, b)

	nobind := bytes.Clone(b)
	nobind[bind] = 0x00 // BIND_OPCODE_DONE
	stdout, _, err := run(t, nobind)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGSEGV || stdout != "" {
		t.Errorf("without binds: stdout %q, %v; want a SIGSEGV", stdout, err)
	}

	norebase := bytes.Clone(b)
	norebase[rebase] = 0x00 // REBASE_OPCODE_DONE
	if stdout, stderr, err := run(t, norebase); stdout != "" || exitCode(err) != 1 {
		t.Errorf("without rebases: stdout %q, stderr %q, %v; want exit status 1", stdout, stderr, err)
	}
}

// TestErrno has main() open a path whose name is too long and return *__error(): Darwin's
// ENAMETOOLONG is 63 (<sys/errno.h>), Linux's 36, so the status shows the shim translated it.
func TestErrno(t *testing.T) {
	var p program
	p.ins(nil, 0x55)                                              // push rbp
	p.ins(at(backend.SegRodata, 0), 0x48, 0x8d, 0x3d, 0, 0, 0, 0) // lea rdi, [rip+name]
	p.ins(nil, 0x31, 0xf6)                                        // xor esi, esi: O_RDONLY
	p.ins(nil, 0x31, 0xc0)                                        // xor eax, eax: no vector arguments to a variadic call
	p.ins(slot(0), 0xff, 0x15, 0, 0, 0, 0)                        // call [rip+open@slot]
	p.ins(slot(1), 0xff, 0x15, 0, 0, 0, 0)                        // call [rip+__error@slot]
	p.ins(nil, 0x8b, 0x00)                                        // mov eax, [rax]
	p.ins(nil, 0x5d, 0xc3)                                        // pop rbp; ret
	img := &backend.Image{
		Rodata:  backend.Segment{Data: append(bytes.Repeat([]byte("x"), 300), 0)},
		Imports: []backend.Import{{Name: "open"}, {Name: "__error"}},
	}
	stdout, stderr, err := run(t, link(t, img, &p))
	if exitCode(err) != 63 {
		t.Errorf("stdout %q, stderr %q, %v; want exit status 63 (Darwin's ENAMETOOLONG)", stdout, stderr, err)
	}
}

// TestMemoryAndClock has main() map a page with Darwin's flags (MAP_PRIVATE|MAP_ANON is
// 0x1002 on Darwin, 0x22 on Linux), write to it, make it read-only, read a Darwin clock
// into data (CLOCK_PROCESS_CPUTIME_ID is 12 on Darwin, 2 on Linux, which has no clock 12),
// unmap the page, and return 42 if every call succeeded and the clock read a time.
func TestMemoryAndClock(t *testing.T) {
	var p program
	var fail uint64 // the offset of the failure path, known once assembled
	toFail := func(l *backend.Layout) uint64 { return l.Addr(backend.SegText, fail) }
	jne := func() { p.ins(toFail, 0x0f, 0x85, 0, 0, 0, 0) } // jne rel32
	p.ins(nil, 0x53)                                        // push rbx: align the stack
	p.ins(nil, 0x31, 0xff)                                  // xor edi, edi: addr
	p.ins(nil, 0xbe, 0, 0x10, 0, 0)                         // mov esi, 4096
	p.ins(nil, 0xba, 3, 0, 0, 0)                            // mov edx, PROT_READ|PROT_WRITE
	p.ins(nil, 0xb9, 0x02, 0x10, 0, 0)                      // mov ecx, MAP_PRIVATE|MAP_ANON
	p.ins(nil, 0x41, 0xb8, 0xff, 0xff, 0xff, 0xff)          // mov r8d, -1
	p.ins(nil, 0x45, 0x31, 0xc9)                            // xor r9d, r9d
	p.ins(slot(0), 0xff, 0x15, 0, 0, 0, 0)                  // call [rip+mmap@slot]
	p.ins(nil, 0x48, 0x83, 0xf8, 0xff)                      // cmp rax, -1 (MAP_FAILED)
	p.ins(toFail, 0x0f, 0x84, 0, 0, 0, 0)                   // je fail
	p.ins(nil, 0x48, 0x89, 0xc3)                            // mov rbx, rax
	p.ins(nil, 0xc6, 0x03, 7)                               // mov byte [rbx], 7
	p.ins(nil, 0x48, 0x89, 0xdf)                            // mov rdi, rbx
	p.ins(nil, 0xbe, 0, 0x10, 0, 0)                         // mov esi, 4096
	p.ins(nil, 0xba, 1, 0, 0, 0)                            // mov edx, PROT_READ
	p.ins(slot(1), 0xff, 0x15, 0, 0, 0, 0)                  // call [rip+mprotect@slot]
	p.ins(nil, 0x85, 0xc0)                                  // test eax, eax
	jne()
	p.ins(nil, 0xbf, 12, 0, 0, 0)                               // mov edi, CLOCK_PROCESS_CPUTIME_ID
	p.ins(at(backend.SegData, 0), 0x48, 0x8d, 0x35, 0, 0, 0, 0) // lea rsi, [rip+ts]
	p.ins(slot(2), 0xff, 0x15, 0, 0, 0, 0)                      // call [rip+clock_gettime@slot]
	p.ins(nil, 0x85, 0xc0)                                      // test eax, eax
	jne()
	p.ins(nil, 0x48, 0x89, 0xdf)           // mov rdi, rbx
	p.ins(nil, 0xbe, 0, 0x10, 0, 0)        // mov esi, 4096
	p.ins(slot(3), 0xff, 0x15, 0, 0, 0, 0) // call [rip+munmap@slot]
	p.ins(nil, 0x85, 0xc0)                 // test eax, eax
	jne()
	p.ins(nil, 0xb8, 42, 0, 0, 0)                               // mov eax, 42
	p.ins(at(backend.SegData, 0), 0x48, 0x8b, 0x0d, 0, 0, 0, 0) // mov rcx, [rip+ts.tv_sec]
	p.ins(at(backend.SegData, 8), 0x48, 0x0b, 0x0d, 0, 0, 0, 0) // or rcx, [rip+ts.tv_nsec]
	p.ins(nil, 0x75, 5)                                         // jnz +5: over the next mov
	fail = uint64(len(p.text))
	p.ins(nil, 0xb8, 1, 0, 0, 0) // fail: mov eax, 1
	p.ins(nil, 0x5b, 0xc3)       // pop rbx; ret
	img := &backend.Image{
		Data:    backend.Segment{Data: make([]byte, 16), Align: 8},
		Imports: []backend.Import{{Name: "mmap"}, {Name: "mprotect"}, {Name: "clock_gettime"}, {Name: "munmap"}},
	}
	stdout, stderr, err := run(t, link(t, img, &p))
	if exitCode(err) != 42 {
		t.Errorf("stdout %q, stderr %q, %v; want exit status 42", stdout, stderr, err)
	}
}

// TestExit has main() call exit(7), and _exit(7) (C's _exit, which skips atexit handlers),
// through its slot: the status is the argument.
func TestExit(t *testing.T) {
	for _, name := range []string{"exit", "_exit"} {
		var p program
		p.ins(nil, 0x55)                       // push rbp
		p.ins(nil, 0xbf, 7, 0, 0, 0)           // mov edi, 7
		p.ins(slot(0), 0xff, 0x15, 0, 0, 0, 0) // call [rip+exit@slot]
		p.ins(nil, 0x0f, 0x0b)                 // ud2
		stdout, stderr, err := run(t, link(t, &backend.Image{Imports: []backend.Import{{Name: name}}}, &p))
		if exitCode(err) != 7 {
			t.Errorf("%s: stdout %q, stderr %q, %v; want exit status 7", name, stdout, stderr, err)
		}
	}
}

// TestMainArgs checks main's arguments: argc counts the program's name and its
// arguments, and apple[0] is "executable_path=...", as macOS passes them.
func TestMainArgs(t *testing.T) {
	cases := []struct {
		name string
		code []byte
		want int
	}{
		{"argc", []byte{0x89, 0xf8, 0xc3}, 3}, // mov eax, edi; ret
		// mov rax, [rcx]; movzx eax, byte [rax+15]; ret: the '=' after executable_path.
		{"apple", []byte{0x48, 0x8b, 0x01, 0x0f, 0xb6, 0x40, 15, 0xc3}, '='},
	}
	for _, c := range cases {
		p := program{text: c.code}
		stdout, stderr, err := run(t, link(t, &backend.Image{}, &p), "a", "b")
		if exitCode(err) != c.want {
			t.Errorf("%s: stdout %q, stderr %q, %v; want exit status %d", c.name, stdout, stderr, err, c.want)
		}
	}
}

// TestReadOnlyAfterFixups has main() store to its own import slot: __DATA_CONST is
// SG_READ_ONLY, which dyld makes read-only once the binds are applied, so the store must
// fault, as on macOS.
func TestReadOnlyAfterFixups(t *testing.T) {
	var p program
	p.ins(slot(0), 0x48, 0x89, 0x05, 0, 0, 0, 0) // mov [rip+exit@slot], rax
	p.ins(nil, 0x31, 0xc0, 0xc3)                 // xor eax, eax; ret
	stdout, _, err := run(t, link(t, &backend.Image{Imports: []backend.Import{{Name: "exit"}}}, &p))
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGSEGV {
		t.Errorf("stdout %q, %v; want a SIGSEGV", stdout, err)
	}
}

// TestLoadErrors checks that the loader refuses, in one line and with its own exit status,
// a symbol the shim lacks and a file that is not a Mach-O.
func TestLoadErrors(t *testing.T) {
	var p program
	p.ins(slot(0), 0xff, 0x25, 0, 0, 0, 0) // jmp [rip+nosuch@slot]
	b := link(t, &backend.Image{Imports: []backend.Import{{Name: "nosuch"}}}, &p)
	fstat := link(t, &backend.Image{Imports: []backend.Import{{Name: "fstat"}}}, &program{text: bytes.Clone(p.text)})
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		{"unknown symbol", b, `^machorun: .*: symbol _nosuch not found in libSystem`},
		{"32-bit inodes", fstat, `^machorun: .*: symbol _fstat \(32-bit inodes\) not provided by the loader's shim: bind _fstat\$INODE64\n`},
		{"not Mach-O", append([]byte("\x7fELF"), make([]byte, 60)...), `^machorun: .*: not an x86_64 Mach-O executable`},
		{"truncated", b[:100], `^machorun: .*: load commands at 0x20\+0x[0-9a-f]+ lies outside the file`},
	}
	for _, c := range cases {
		stdout, stderr, err := run(t, c.b)
		if exitCode(err) != machorun.ExitLoadFailed || stdout != "" || strings.Count(stderr, "\n") != 1 ||
			!regexp.MustCompile(c.want).MatchString(stderr) {
			t.Errorf("%s: stdout %q, stderr %q, %v; want exit status %d and %s", c.name, stdout, stderr, err,
				machorun.ExitLoadFailed, c.want)
		}
	}
}

// checkObjdump has llvm-objdump read the file, when it is installed (under CI=true it must
// be), and fails on any complaint.
func checkObjdump(t *testing.T, b []byte) {
	t.Helper()
	objdump, err := exec.LookPath("llvm-objdump-19")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("llvm-objdump-19 not on PATH under CI=true: %v", err)
		}
		t.Logf("llvm-objdump-19 not on PATH, file not checked: %v", err)
		return
	}
	path := filepath.Join(t.TempDir(), "hello")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(objdump, "--macho", "--private-headers", "--bind", "--rebase", path).CombinedOutput()
	complaint := regexp.MustCompile(`(?i)warning:|error:|malformed|truncated|invalid|bad |unknown`)
	if err != nil || complaint.Match(out) {
		t.Errorf("llvm-objdump-19: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("_write")) {
		t.Errorf("llvm-objdump-19 --bind does not show _write:\n%s", out)
	}
}

// writeImage points img's rodata pointers at their laid-out addresses, as the linker
// does, and writes img as a Mach-O file with layout l.
func writeImage(t *testing.T, img *backend.Image, l *backend.Layout) []byte {
	t.Helper()
	le := binary.LittleEndian
	for _, ptr := range img.Pointers {
		field := img.Segment(ptr.Seg).Data[ptr.Off:]
		le.PutUint64(field, l.Addr(backend.SegRodata, le.Uint64(field)))
	}
	b, err := backend.WriteMachO(img, l)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
