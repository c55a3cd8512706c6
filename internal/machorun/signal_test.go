package machorun_test

import (
	"encoding/binary"
	"testing"

	"github.com/wasmc/wasmc/backend"
)

// signalImage is a darwin/amd64 main() that installs handler for signal sig with
// SA_SIGINFO|SA_ONSTACK on a 64 KiB alternate stack, through Darwin's struct sigaction and
// stack_t, and then runs prefix and fault. The handler stores siginfo's si_addr in the
// interrupted context's rax, si_signo in its rdx (times 1 if the handler runs on the
// alternate stack, 0 otherwise) and si_code in its rsi, and sets its rip to resume: main
// then returns 42 if rdx is sig, rsi is code (unless code is negative) and rax is the
// address the fault should report (0x1234 for a load from there; the faulting instruction
// itself for SIGILL and SIGFPE), 1 otherwise. Without the shim's Darwin ucontext, or without
// the copy back of the registers, the program faults again or returns 1.
func signalImage(t *testing.T, sig uint32, code int, prefix, fault []byte, faultAddrIsInsn bool) []byte {
	var p program
	var handler, resume, faultAt, failAt uint64
	textAt := func(off *uint64) func(l *backend.Layout) uint64 {
		return func(l *backend.Layout) uint64 { return l.Addr(backend.SegText, *off) }
	}
	const (
		actOff   = 0  // struct sigaction: handler, mask, flags
		ssOff    = 16 // stack_t: ss_sp, ss_size, ss_flags
		stackOff = 64 // the alternate stack, in the zero-filled tail
	)
	data := make([]byte, stackOff)
	binary.LittleEndian.PutUint32(data[actOff+12:], 0x40|0x1) // SA_SIGINFO|SA_ONSTACK
	binary.LittleEndian.PutUint64(data[ssOff+8:], 1<<16)      // ss_size

	p.ins(nil, 0x55)                                                   // push rbp
	p.ins(textAt(&handler), 0x48, 0x8d, 0x05, 0, 0, 0, 0)              // lea rax, [rip+handler]
	p.ins(at(backend.SegData, actOff), 0x48, 0x89, 0x05, 0, 0, 0, 0)   // mov [rip+act], rax
	p.ins(at(backend.SegData, stackOff), 0x48, 0x8d, 0x05, 0, 0, 0, 0) // lea rax, [rip+stack]
	p.ins(at(backend.SegData, ssOff), 0x48, 0x89, 0x05, 0, 0, 0, 0)    // mov [rip+ss.ss_sp], rax
	p.ins(at(backend.SegData, ssOff), 0x48, 0x8d, 0x3d, 0, 0, 0, 0)    // lea rdi, [rip+ss]
	p.ins(nil, 0x31, 0xf6)                                             // xor esi, esi
	p.ins(slot(0), 0xff, 0x15, 0, 0, 0, 0)                             // call [rip+sigaltstack@slot]
	p.ins(nil, 0x85, 0xc0)                                             // test eax, eax
	p.ins(textAt(&failAt), 0x0f, 0x85, 0, 0, 0, 0)                     // jne fail
	p.ins(nil, 0xbf, byte(sig), 0, 0, 0)                               // mov edi, sig
	p.ins(at(backend.SegData, actOff), 0x48, 0x8d, 0x35, 0, 0, 0, 0)   // lea rsi, [rip+act]
	p.ins(nil, 0x31, 0xd2)                                             // xor edx, edx
	p.ins(slot(1), 0xff, 0x15, 0, 0, 0, 0)                             // call [rip+sigaction@slot]
	p.ins(nil, 0x85, 0xc0)                                             // test eax, eax
	p.ins(textAt(&failAt), 0x0f, 0x85, 0, 0, 0, 0)                     // jne fail
	p.ins(nil, prefix...)                                              // what sets the fault up
	faultAt = uint64(len(p.text))
	p.ins(nil, fault...)                     // the fault
	p.ins(textAt(&failAt), 0xe9, 0, 0, 0, 0) // jmp fail: not redirected
	resume = uint64(len(p.text))
	p.ins(nil, 0x81, 0xfa, byte(sig), 0, 0, 0)     // cmp edx, sig
	p.ins(textAt(&failAt), 0x0f, 0x85, 0, 0, 0, 0) // jne fail
	if code >= 0 {
		p.ins(nil, 0x81, 0xfe, byte(code), 0, 0, 0)    // cmp esi, code
		p.ins(textAt(&failAt), 0x0f, 0x85, 0, 0, 0, 0) // jne fail
	}
	if faultAddrIsInsn {
		p.ins(textAt(&faultAt), 0x48, 0x8d, 0x0d, 0, 0, 0, 0) // lea rcx, [rip+fault]
	} else {
		p.ins(nil, 0x48, 0xc7, 0xc1, 0x34, 0x12, 0, 0) // mov rcx, 0x1234
	}
	p.ins(nil, 0x48, 0x39, 0xc8)                   // cmp rax, rcx
	p.ins(textAt(&failAt), 0x0f, 0x85, 0, 0, 0, 0) // jne fail
	p.ins(nil, 0xb8, 42, 0, 0, 0)                  // mov eax, 42
	p.ins(nil, 0x5d, 0xc3)                         // pop rbp; ret
	failAt = uint64(len(p.text))
	p.ins(nil, 0xb8, 1, 0, 0, 0)                                       // fail: mov eax, 1
	p.ins(nil, 0x5d, 0xc3)                                             // pop rbp; ret
	handler = uint64(len(p.text))                                      // handler(sig, info, uc):
	p.ins(nil, 0x49, 0x89, 0xe1)                                       // mov r9, rsp
	p.ins(at(backend.SegData, stackOff), 0x4c, 0x8d, 0x05, 0, 0, 0, 0) // lea r8, [rip+stack]
	p.ins(nil, 0x4d, 0x29, 0xc1)                                       // sub r9, r8
	p.ins(nil, 0x45, 0x31, 0xd2)                                       // xor r10d, r10d
	p.ins(nil, 0x49, 0x81, 0xf9, 0, 0, 1, 0)                           // cmp r9, 0x10000
	p.ins(nil, 0x41, 0x0f, 0x92, 0xc2)                                 // setb r10b: on the stack
	p.ins(nil, 0x48, 0x8b, 0x42, 0x30)                                 // mov rax, [rdx+48]: uc_mcontext
	p.ins(nil, 0x48, 0x8b, 0x4e, 0x18)                                 // mov rcx, [rsi+24]: si_addr
	p.ins(nil, 0x48, 0x89, 0x48, 0x10)                                 // mov [rax+16], rcx: __ss.__rax
	p.ins(nil, 0x8b, 0x0e)                                             // mov ecx, [rsi]: si_signo
	p.ins(nil, 0x41, 0x0f, 0xaf, 0xca)                                 // imul ecx, r10d
	p.ins(nil, 0x48, 0x89, 0x48, 0x28)                                 // mov [rax+40], rcx: __ss.__rdx
	p.ins(nil, 0x8b, 0x4e, 0x08)                                       // mov ecx, [rsi+8]: si_code
	p.ins(nil, 0x48, 0x89, 0x48, 0x38)                                 // mov [rax+56], rcx: __ss.__rsi
	p.ins(textAt(&resume), 0x48, 0x8d, 0x0d, 0, 0, 0, 0)               // lea rcx, [rip+resume]
	p.ins(nil, 0x48, 0x89, 0x88, 0x90, 0, 0, 0)                        // mov [rax+144], rcx: __ss.__rip
	p.ins(nil, 0xc3)                                                   // ret
	img := &backend.Image{
		Data:    backend.Segment{Data: data, BSS: 1 << 16, Align: 16},
		Imports: []backend.Import{{Name: "sigaltstack"}, {Name: "sigaction"}},
	}
	return link(t, img, &p)
}

// TestSignalHandler runs darwin/amd64 programs whose handler, given Darwin's siginfo_t and
// ucontext_t, redirects the faulting thread: a load from 0x1234 under __PAGEZERO is SIGSEGV
// with SEGV_MAPERR (11 and 1 on Darwin and Linux alike, so the handler's table is what is
// checked), a ud2 is SIGILL (4), and a division by zero SIGFPE with FPE_INTDIV, 7 on Darwin
// and 1 on Linux, each reported at the instruction.
func TestSignalHandler(t *testing.T) {
	cases := []struct {
		name   string
		sig    uint32
		code   int
		prefix []byte
		fault  []byte
		isInsn bool
	}{
		{"segv", 11, 1, nil, []byte{0x48, 0x8b, 0x04, 0x25, 0x34, 0x12, 0, 0}, false}, // mov rax, [0x1234]
		{"ill", 4, -1, nil, []byte{0x0f, 0x0b}, true},                                 // ud2
		{"fpe", 8, 7, []byte{0x31, 0xc9}, []byte{0xf7, 0xf1}, true},                   // xor ecx, ecx; div ecx
	}
	for _, c := range cases {
		stdout, stderr, err := run(t, signalImage(t, c.sig, c.code, c.prefix, c.fault, c.isInsn))
		if exitCode(err) != 42 {
			t.Errorf("%s: stdout %q, stderr %q, %v; want exit status 42", c.name, stdout, stderr, err)
		}
	}
}
