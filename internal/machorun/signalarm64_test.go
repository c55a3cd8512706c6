package machorun_test

import (
	"encoding/binary"
	"testing"

	"github.com/wasmc/wasmc/backend"
)

// signalARM64 is signalImage for darwin/arm64: main() installs a SA_SIGINFO|SA_ONSTACK
// handler for sig on a 64 KiB alternate stack, then runs fault (after x9 = 0x1234); the
// handler stores siginfo's si_addr in the interrupted context's x0 and si_signo (times 1
// on the alternate stack, 0 off it) in x1, and sets its pc to resume, where main returns 42
// if x1 is sig and x0 the address the fault should report, 1 otherwise.
func signalARM64(t *testing.T, sig uint32, fault uint32, faultAddrIsInsn bool) []byte {
	var p a64
	var handler, resume, faultAt, failAt uint64
	textAt := func(off *uint64) func(l *backend.Layout) uint64 {
		return func(l *backend.Layout) uint64 { return l.Addr(backend.SegText, 4**off) }
	}
	const actOff, ssOff, stackOff = 0, 16, 64
	data := make([]byte, stackOff)
	binary.LittleEndian.PutUint32(data[actOff+12:], 0x40|0x1) // SA_SIGINFO|SA_ONSTACK
	binary.LittleEndian.PutUint64(data[ssOff+8:], 1<<16)      // ss_size
	here := func() uint64 { return uint64(len(p.words)) }

	p.ins(0xa9bf7bfd, 0x910003fd) // stp x29, x30, [sp, #-16]!; mov x29, sp
	p.ref(0x10000000, adr, textAt(&handler))
	p.ref(0x10000001, adr, at(backend.SegData, actOff))
	p.ins(0xf9000020) // str x0, [x1]: act's handler
	p.ref(0x10000000, adr, at(backend.SegData, stackOff))
	p.ref(0x10000001, adr, at(backend.SegData, ssOff))
	p.ins(0xf9000020)             // str x0, [x1]: ss_sp
	p.ins(0xaa0103e0, 0xd2800001) // mov x0, x1; mov x1, #0
	p.ldr(16, slot(0))
	p.ins(0xd63f0200) // blr x16: sigaltstack
	p.ref(0x35000000, imm19, textAt(&failAt))
	p.ins(0x52800000 | sig<<5) // mov w0, #sig
	p.ref(0x10000001, adr, at(backend.SegData, actOff))
	p.ins(0xd2800002) // mov x2, #0
	p.ldr(16, slot(1))
	p.ins(0xd63f0200) // blr x16: sigaction
	p.ref(0x35000000, imm19, textAt(&failAt))
	p.ins(0xd2824689) // mov x9, #0x1234
	faultAt = here()
	p.ins(fault)
	p.ref(0x14000000, imm26, textAt(&failAt)) // b fail: not redirected
	resume = here()
	p.ins(0x7100003f | sig<<10) // cmp w1, #sig
	p.ref(0x54000001, imm19, textAt(&failAt))
	if faultAddrIsInsn {
		p.ref(0x10000002, adr, textAt(&faultAt))
	} else {
		p.ins(0xd2824682) // mov x2, #0x1234
	}
	p.ins(0xeb02001f) // cmp x0, x2
	p.ref(0x54000001, imm19, textAt(&failAt))
	p.ins(0x52800540)             // mov w0, #42
	p.ins(0xa8c17bfd, 0xd65f03c0) // ldp x29, x30, [sp], #16; ret
	failAt = here()
	p.ins(0x52800020)             // mov w0, #1
	p.ins(0xa8c17bfd, 0xd65f03c0) // ldp x29, x30, [sp], #16; ret
	handler = here()              // handler(sig, info, uc):
	p.ins(0x910003e9)             // mov x9, sp
	p.ref(0x1000000a, adr, at(backend.SegData, stackOff))
	p.ins(0xcb0a0129) // sub x9, x9, x10
	p.ins(0xd2a0002b) // mov x11, #0x10000
	p.ins(0xeb0b013f) // cmp x9, x11
	p.ins(0x1a9f27ea) // cset w10, lo: on the alternate stack
	p.ins(0xf9401843) // ldr x3, [x2, #48]: uc_mcontext
	p.ins(0xf9400c24) // ldr x4, [x1, #24]: si_addr
	p.ins(0xf9000864) // str x4, [x3, #16]: __ss.__x[0]
	p.ins(0xb9400025) // ldr w5, [x1]: si_signo
	p.ins(0x1b0a7ca5) // mul w5, w5, w10
	p.ins(0xf9000c65) // str x5, [x3, #24]: __ss.__x[1]
	p.ref(0x10000006, adr, textAt(&resume))
	p.ins(0xf9008866) // str x6, [x3, #272]: __ss.__pc
	p.ins(0xd65f03c0) // ret
	img := &backend.Image{
		Data:    backend.Segment{Data: data, BSS: 1 << 16, Align: 16},
		Imports: []backend.Import{{Name: "sigaltstack"}, {Name: "sigaction"}},
	}
	return linkARM64(t, img, &p)
}

// TestSignalHandlerARM64 is TestSignalHandler for darwin/arm64 under qemu: the handler
// gets Darwin's arm64 ucontext_t (__es, __ss with x[29], fp, lr, sp, pc) and redirects pc
// after a load from 0x1234 (SIGSEGV) and after udf (SIGILL, reported at the instruction).
func TestSignalHandlerARM64(t *testing.T) {
	cases := []struct {
		name   string
		sig    uint32
		fault  uint32
		isInsn bool
	}{
		{"segv", 11, 0xf9400120, false}, // ldr x0, [x9]
		{"ill", 4, 0x00000000, true},    // udf #0
	}
	for _, c := range cases {
		stdout, stderr, err := runArch(t, "arm64", signalARM64(t, c.sig, c.fault, c.isInsn))
		if exitCode(err) != 42 {
			t.Errorf("%s: stdout %q, stderr %q, %v; want exit status 42", c.name, stdout, stderr, err)
		}
	}
}
