package amd64

import "github.com/wasmc/wasmc/backend"

// darwin/amd64's entry (DESIGN.md decision 9): dyld calls LC_MAIN's entry as
// main(argc, argv, envp, apple) on the main thread's stack, aligned as for any C call,
// and entry reaches the system only through libSystem's functions, called through the
// import slots dyld fills in (backend.Image.Imports). Their flags are Darwin's
// (<sys/mman.h>); the runtime's C makes every other call (rtlib/libsystem.go).

// Darwin's mmap flags.
const darwinMapPrivateAnon = 0x0002 | 0x1000 // MAP_PRIVATE | MAP_ANON

// darwinEntry calls libSystem; imports are the executable's import slots, to which it
// adds the functions it calls that the runtime's table lacks.
type darwinEntry struct {
	ref     func(Inst, backend.SymRef, int64)
	imports *[]backend.Import
}

// call calls the C function name through its import slot, with al zero (no vector
// arguments, for a variadic callee).
func (d *darwinEntry) call(a *Asm, name string) {
	i := len(*d.imports)
	for j, imp := range *d.imports {
		if imp.Name == name {
			i = j
			break
		}
	}
	if i == len(*d.imports) {
		*d.imports = append(*d.imports, backend.Import{Name: name})
	}
	a.Emit(XorRR(W32, RAX, RAX))
	d.ref(CallM(RIPRel(0)), backend.SymRef{Kind: backend.RefImport, Index: uint32(i)}, 0)
}

func (d *darwinEntry) mmapRSI(a *Asm, prot int32, fail Label) {
	a.Emit(XorRR(W32, RDI, RDI))
	a.Emit(MovRI(W32, RDX, prot))
	a.Emit(MovRI(W32, RCX, darwinMapPrivateAnon))
	a.Emit(MovRI(W64, R8, -1))
	a.Emit(XorRR(W32, R9, R9))
	d.call(a, "mmap")
	a.Emit(CmpRI(W64, RAX, -1)) // MAP_FAILED
	a.Jcc(CondE, fail)
}

func (d *darwinEntry) mprotect(a *Asm, fail Label) {
	d.call(a, "mprotect")
	a.Emit(CmpRI(W32, RAX, -1))
	a.Jcc(CondE, fail)
}

// exit calls _exit: entry's stack may be the one it mapped, and nothing of libSystem's
// needs flushing.
func (d *darwinEntry) exit(a *Asm, status int32) {
	a.Emit(MovRI(W32, RDI, status))
	d.call(a, "_exit")
}

func (d *darwinEntry) writeStderr(a *Asm, l Label, n int) {
	a.Emit(MovRI(W32, RDI, 2))
	a.EmitTo(Lea(W64, RSI, RIPRel(0)), l)
	a.Emit(MovRI(W32, RDX, int32(n)))
	d.call(a, "write")
}
