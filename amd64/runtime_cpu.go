package amd64

import "github.com/wasmc/wasmc/backend"

// Process entry's CPU check (DESIGN.md decision 12): an executable refuses, in one line
// and with exit status 1, a processor below the level it was built for (--cpu), rather
// than die of SIGILL or, worse, print a wrong answer: a CPU without LZCNT or BMI1 runs
// lzcnt and tzcnt as bsr and bsf.

// CPUID bits (Intel SDM vol. 2A, CPUID, tables 3-10, 3-11 and 3-8). x86-64-v2 needs leaf
// 1's SSSE3 (pshufb, pabs, pmulhrsw), SSE4.1 (roundss, pmovsx, pminsd, ptest), SSE4.2
// (pcmpgtq) and POPCNT. x86-64-v3 adds, as the psABI's level defines it, leaf 1's FMA,
// MOVBE, OSXSAVE, AVX and F16C, leaf 7's BMI1, AVX2 and BMI2, and leaf 0x80000001's LZCNT;
// the code uses only BMI1, BMI2 and LZCNT so far, but an executable that says x86-64-v3
// refuses what is not. OSXSAVE says that XGETBV exists; XCR0's bits 1 and 2 that the
// operating system saves the SSE and AVX state, without which an AVX instruction faults.
const (
	leaf1V2 = 1<<9 | 1<<19 | 1<<20 | 1<<23
	leaf1V3 = leaf1V2 | 1<<12 | 1<<22 | 1<<27 | 1<<28 | 1<<29
	leaf7V3 = 1<<3 | 1<<5 | 1<<8
	lzcntV3 = 1 << 5
	xcr0AVX = 1<<1 | 1<<2
)

// cpuMessage is what entry says on a CPU below level c.
func cpuMessage(c backend.CPU) string {
	if c >= backend.CPUX8664V3 {
		return "wasmc: this executable needs an x86-64-v3 CPU (AVX2, BMI1, BMI2, LZCNT, FMA, MOVBE, enabled by the OS); " +
			"build it with --cpu x86-64-v2 for this one\n"
	}
	return "wasmc: this executable needs an x86-64 CPU with SSSE3, SSE4.1, SSE4.2 and POPCNT (x86-64-v2)\n"
}

// checkCPU emits the test of level c, jumping to fail on a CPU below it. It clobbers rax,
// rbx, rcx and rdx, which hold nothing yet at entry.
func checkCPU(a *Asm, c backend.CPU, fail Label) {
	leaf1 := int32(leaf1V2)
	if c >= backend.CPUX8664V3 {
		// Leaf 7 must exist: past the highest leaf CPUID answers with another leaf's bits.
		a.Emit(XorRR(W32, RAX, RAX))
		a.Emit(Cpuid())
		a.Emit(CmpRI(W32, RAX, 7))
		a.Jcc(CondB, fail)
		leaf1 = leaf1V3
	}
	a.Emit(MovRI(W32, RAX, 1))
	a.Emit(Cpuid())
	a.Emit(AndRI(W32, RCX, leaf1))
	a.Emit(CmpRI(W32, RCX, leaf1))
	a.Jcc(CondNE, fail)
	if c < backend.CPUX8664V3 {
		return
	}
	a.Emit(XorRR(W32, RCX, RCX)) // XCR0; OSXSAVE, checked above, says xgetbv exists
	a.Emit(Xgetbv())
	a.Emit(AndRI(W32, RAX, xcr0AVX))
	a.Emit(CmpRI(W32, RAX, xcr0AVX))
	a.Jcc(CondNE, fail)
	a.Emit(MovRI(W32, RAX, 7))
	a.Emit(XorRR(W32, RCX, RCX))
	a.Emit(Cpuid())
	a.Emit(AndRI(W32, RBX, leaf7V3))
	a.Emit(CmpRI(W32, RBX, leaf7V3))
	a.Jcc(CondNE, fail)
	a.Emit(MovRI(W32, RAX, -0x80000000))
	a.Emit(Cpuid())
	a.Emit(CmpRI(W32, RAX, -0x7fffffff)) // 0x80000001, unsigned
	a.Jcc(CondB, fail)
	a.Emit(MovRI(W32, RAX, -0x7fffffff))
	a.Emit(Cpuid())
	a.Emit(TestRI(W32, RCX, lzcntV3))
	a.Jcc(CondE, fail)
}
