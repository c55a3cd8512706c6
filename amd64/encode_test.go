package amd64

import (
	"encoding/hex"
	"fmt"
	"math"
	"testing"

	"golang.org/x/arch/x86/x86asm"
)

// decodeGNU decodes b with x86asm, the independent decoder, and returns its GNU text, or an
// error if it does not decode to exactly one instruction of len(b) bytes.
func decodeGNU(b []byte) (string, error) {
	d, err := x86asm.Decode(b, 64)
	if err != nil {
		return "", fmt.Errorf("% x: x86asm: %v", b, err)
	}
	text := x86asm.GNUSyntax(d, 0, nil)
	if d.Len != len(b) {
		return text, fmt.Errorf("% x: x86asm decodes %d of %d bytes as %q", b, d.Len, len(b), text)
	}
	return text, nil
}

// checkGNU reports whether i decodes to want, and says why not.
func checkGNU(t *testing.T, i Inst, want string) bool {
	t.Helper()
	got, err := decodeGNU(i.Bytes())
	if err != nil {
		t.Errorf("want %q: %v", want, err)
		return false
	}
	if got != want {
		t.Errorf("% x: x86asm says %q, want %q", i.Bytes(), got, want)
		return false
	}
	return true
}

// Disassembly quirks of x86asm's GNU syntax that the expected texts below follow:
//   - a disp32 prints as an unsigned 32-bit number (-129 is 0xffffff7f), a disp8 as signed;
//   - an R12 base with no index prints as (%r12,%riz), since its SIB byte has index 100;
//   - an absolute address with no base, no index and disp 0 prints as nothing;
//   - jumps and calls print their rel field: .+0x10 is 0x10 bytes past the instruction's end.

// encodeTests are the hand-written cases: at least one per exported constructor, with the
// text x86asm must decode them to and the bytes, pinned so that a change of form (a longer
// immediate, a missed short form) shows up even when the text stays the same.
var encodeTests = []struct {
	inst Inst
	text string
	hex  string
}{
	// MOV, MOVZX, MOVSX, MOVSXD, LEA, XCHG.
	{MovRR(W64, RAX, R9), "mov %r9,%rax", "4c89c8"},
	{MovRR(W32, R15, RSP), "mov %esp,%r15d", "4189e7"},
	{MovRR(W16, RCX, RDX), "mov %dx,%cx", "6689d1"},
	{MovRR(W8, RSI, RDI), "mov %dil,%sil", "4088fe"},
	{MovRR(W8, RAX, RBX), "mov %bl,%al", "88d8"},
	{MovRR(W8, R8, RCX), "mov %cl,%r8b", "4188c8"},
	{MovRM(W32, RCX, Mem{Base: RSP, Disp: 8}), "mov 0x8(%rsp),%ecx", "8b4c2408"},
	{MovRM(W64, RAX, Mem{Base: RBP}), "mov (%rbp),%rax", "488b4500"},
	{MovRM(W64, RAX, Mem{Base: R13}), "mov (%r13),%rax", "498b4500"},
	{MovRM(W64, RAX, Mem{Base: R12}), "mov (%r12,%riz),%rax", "498b0424"},
	{MovRM(W64, R11, Mem{Base: RBX, Index: R12, Scale: 8, Disp: -8}), "mov -0x8(%rbx,%r12,8),%r11", "4e8b5ce3f8"},
	{MovRM(W16, RDX, Mem{Base: RAX, Index: RCX, Scale: 2, Disp: 128}), "mov 0x80(%rax,%rcx,2),%dx", "668b944880000000"},
	{MovRM(W8, RSI, Mem{Base: RDI, Disp: -129}), "mov 0xffffff7f(%rdi),%sil", "408ab77fffffff"},
	{MovRM(W32, RAX, Mem{Index: RCX, Scale: 4, Disp: 16}), "mov 0x10(,%rcx,4),%eax", "8b048d10000000"},
	{MovRM(W32, RAX, Mem{Disp: 0x1000}), "mov 0x1000,%eax", "8b042500100000"},
	{MovRM(W64, RAX, RIPRel(0x10)), "mov 0x10(%rip),%rax", "488b0510000000"},
	{MovMR(W64, Mem{Base: RSP}, RAX), "mov %rax,(%rsp)", "48890424"},
	{MovMR(W32, Mem{Base: R8, Index: R9, Disp: 1}, R10), "mov %r10d,0x1(%r8,%r9)", "4789540801"},
	{MovMR(W16, Mem{Base: RBP, Disp: -2}, R14), "mov %r14w,-0x2(%rbp)", "66448975fe"},
	{MovMR(W8, Mem{Base: RAX}, RBP), "mov %bpl,(%rax)", "408828"},
	{MovRI(W64, RAX, -1), "mov $-0x1,%rax", "48c7c0ffffffff"},
	{MovRI(W32, R9, -1), "mov $-0x1,%r9d", "41b9ffffffff"},
	{MovRI(W16, RCX, 0x1234), "mov $0x1234,%cx", "66b93412"},
	{MovRI(W8, RDI, 0x7f), "mov $0x7f,%dil", "40b77f"},
	{MovAbs(R12, 0x123456789abcdef), "mov $0x123456789abcdef,%r12", "49bcefcdab8967452301"},
	{MovConst(RAX, 0xffffffff), "mov $-0x1,%eax", "b8ffffffff"},
	{MovConst(RAX, 0xffffffffffffffff), "mov $-0x1,%rax", "48c7c0ffffffff"},
	{MovConst(RAX, 0x100000000), "mov $0x100000000,%rax", "48b80000000001000000"},
	{MovMI(W64, Mem{Base: RAX}, math.MinInt32), "movq $-0x80000000,(%rax)", "48c70000000080"},
	{MovMI(W32, Mem{Base: R13, Disp: 4}, 1), "movl $0x1,0x4(%r13)", "41c7450401000000"},
	{MovMI(W16, Mem{Base: RAX}, -1), "movw $-0x1,(%rax)", "66c700ffff"},
	{MovMI(W8, Mem{Base: RAX}, 255), "movb $0xff,(%rax)", "c600ff"},
	{MovzxRR(W32, W8, RAX, RSI), "movzbl %sil,%eax", "400fb6c6"},
	{MovzxRR(W32, W8, RSI, RAX), "movzbl %al,%esi", "0fb6f0"},
	{MovzxRR(W64, W16, R8, R9), "movzwq %r9w,%r8", "4d0fb7c1"},
	{MovzxRR(W16, W8, RAX, RCX), "movzbw %cl,%ax", "660fb6c1"},
	{MovzxRM(W32, W16, RAX, Mem{Base: RDI}), "movzwl (%rdi),%eax", "0fb707"},
	{MovzxRM(W64, W8, RAX, Mem{Base: RDI}), "movzbq (%rdi),%rax", "480fb607"},
	{MovsxRR(W64, W8, RAX, RDI), "movsbq %dil,%rax", "480fbec7"},
	{MovsxRR(W32, W16, R15, RAX), "movswl %ax,%r15d", "440fbff8"},
	{MovsxRM(W32, W8, RAX, Mem{Base: RSP}), "movsbl (%rsp),%eax", "0fbe0424"},
	{MovsxRM(W64, W16, RAX, Mem{Base: RSP}), "movswq (%rsp),%rax", "480fbf0424"},
	{MovsxdRR(RAX, RCX), "movsxd %ecx,%rax", "4863c1"},
	{MovsxdRM(R8, Mem{Base: R9, Disp: 4}), "movsxd 0x4(%r9),%r8", "4d634104"},
	{Lea(W64, RAX, Mem{Base: RAX, Index: RAX, Scale: 2}), "lea (%rax,%rax,2),%rax", "488d0440"},
	{Lea(W32, RDX, Mem{Base: RSP, Disp: -1}), "lea -0x1(%rsp),%edx", "8d5424ff"},
	{Lea(W64, RAX, RIPRel(-7)), "lea 0xfffffff9(%rip),%rax", "488d05f9ffffff"},
	{XchgRR(W64, RAX, RCX), "xchg %rcx,%rax", "4887c8"},
	{XchgRR(W32, RAX, RAX), "xchg %eax,%eax", "87c0"},

	// ADD, OR, ADC, SBB, AND, SUB, XOR, CMP, TEST.
	{AddRR(W64, RAX, R9), "add %r9,%rax", "4c01c8"},
	{AddRR(W8, RSP, RBP), "add %bpl,%spl", "4000ec"},
	{AddRI(W64, RAX, 1), "add $0x1,%rax", "4883c001"},
	{AddRI(W64, RAX, 128), "add $0x80,%rax", "480580000000"},
	{AddRI(W64, RCX, 128), "add $0x80,%rcx", "4881c180000000"},
	{AddRI(W32, RAX, -129), "add $-0x81,%eax", "057fffffff"},
	{AddRI(W16, RCX, 1000), "add $0x3e8,%cx", "6681c1e803"},
	{AddRI(W8, RAX, -1), "add $0xff,%al", "04ff"},
	{AddRI(W8, RSI, 1), "add $0x1,%sil", "4080c601"},
	{AddRM(W64, RAX, Mem{Base: RSP, Disp: 16}), "add 0x10(%rsp),%rax", "4803442410"},
	{AddMR(W32, Mem{Base: RAX}, R8), "add %r8d,(%rax)", "440100"},
	{AddMI(W64, Mem{Base: RAX}, 1), "addq $0x1,(%rax)", "48830001"},
	{AddMI(W32, Mem{Base: RAX}, 1000), "addl $0x3e8,(%rax)", "8100e8030000"},
	{AddMI(W8, Mem{Base: RAX}, 200), "addb $0xc8,(%rax)", "8000c8"},
	{OrRR(W32, RAX, RCX), "or %ecx,%eax", "09c8"},
	{OrRI(W64, R10, 0x7fffffff), "or $0x7fffffff,%r10", "4981caffffff7f"},
	{OrRM(W16, RAX, Mem{Base: RCX}), "or (%rcx),%ax", "660b01"},
	{OrMR(W8, Mem{Base: RCX}, RDX), "or %dl,(%rcx)", "0811"},
	{OrMI(W16, Mem{Base: RCX}, -2), "orw $-0x2,(%rcx)", "668309fe"},
	{AdcRR(W64, RDX, RBX), "adc %rbx,%rdx", "4811da"},
	{AdcRI(W32, RDX, 0), "adc $0x0,%edx", "83d200"},
	{AdcRM(W64, RDX, Mem{Base: RAX}), "adc (%rax),%rdx", "481310"},
	{AdcMR(W64, Mem{Base: RAX}, RDX), "adc %rdx,(%rax)", "481110"},
	{AdcMI(W64, Mem{Base: RAX}, 0), "adcq $0x0,(%rax)", "48831000"},
	{SbbRR(W64, RDX, RBX), "sbb %rbx,%rdx", "4819da"},
	{SbbRI(W64, RAX, 0x1000), "sbb $0x1000,%rax", "481d00100000"},
	{SbbRM(W32, RDX, Mem{Base: RAX}), "sbb (%rax),%edx", "1b10"},
	{SbbMR(W32, Mem{Base: RAX}, RDX), "sbb %edx,(%rax)", "1910"},
	{SbbMI(W32, Mem{Base: RAX}, 1), "sbbl $0x1,(%rax)", "831801"},
	{AndRR(W64, R15, R14), "and %r14,%r15", "4d21f7"},
	{AndRI(W32, RAX, 0xff), "and $0xff,%eax", "25ff000000"},
	{AndRI(W64, RBX, -16), "and $-0x10,%rbx", "4883e3f0"},
	{AndRM(W64, RAX, Mem{Base: RAX}), "and (%rax),%rax", "482300"},
	{AndMR(W64, Mem{Base: RAX}, RAX), "and %rax,(%rax)", "482100"},
	{AndMI(W8, Mem{Base: RAX}, 0x0f), "andb $0xf,(%rax)", "80200f"},
	{SubRR(W32, RSP, RBP), "sub %ebp,%esp", "29ec"},
	{SubRI(W64, RSP, 0x28), "sub $0x28,%rsp", "4883ec28"},
	{SubRM(W64, RAX, Mem{Base: RSP}), "sub (%rsp),%rax", "482b0424"},
	{SubMR(W64, Mem{Base: RSP}, RAX), "sub %rax,(%rsp)", "48290424"},
	{SubMI(W64, Mem{Base: RSP}, 0x1000), "subq $0x1000,(%rsp)", "48812c2400100000"},
	{XorRR(W32, RAX, RAX), "xor %eax,%eax", "31c0"},
	{XorRI(W8, RAX, 1), "xor $0x1,%al", "3401"},
	{XorRM(W64, RAX, Mem{Base: RAX}), "xor (%rax),%rax", "483300"},
	{XorMR(W64, Mem{Base: RAX}, RAX), "xor %rax,(%rax)", "483100"},
	{XorMI(W64, Mem{Base: RAX}, -1), "xorq $-0x1,(%rax)", "488330ff"},
	{CmpRR(W64, RAX, RCX), "cmp %rcx,%rax", "4839c8"},
	{CmpRI(W32, RDI, math.MaxInt32), "cmp $0x7fffffff,%edi", "81ffffffff7f"},
	{CmpRI(W64, RAX, math.MinInt32), "cmp $-0x80000000,%rax", "483d00000080"},
	{CmpRM(W64, RSP, Mem{Base: R14, Disp: 8}), "cmp 0x8(%r14),%rsp", "493b6608"},
	{CmpMR(W32, Mem{Base: R14}, RAX), "cmp %eax,(%r14)", "413906"},
	{CmpMI(W32, Mem{Base: R14}, 0), "cmpl $0x0,(%r14)", "41833e00"},
	{CmpMI(W64, RIPRel(0), 1), "cmpq $0x1,(%rip)", "48833d0000000001"},
	{TestRR(W64, RAX, RAX), "test %rax,%rax", "4885c0"},
	{TestRR(W8, RDI, RDI), "test %dil,%dil", "4084ff"},
	{TestRI(W32, RAX, 1), "test $0x1,%eax", "a901000000"},
	{TestRI(W32, RCX, 1), "test $0x1,%ecx", "f7c101000000"},
	{TestRI(W8, RAX, 1), "test $0x1,%al", "a801"},
	{TestRI(W8, RBX, 0x80), "test $0x80,%bl", "f6c380"},
	{TestRI(W64, R9, -1), "test $-0x1,%r9", "49f7c1ffffffff"},
	{TestMR(W32, Mem{Base: RAX}, RCX), "test %ecx,(%rax)", "8508"},
	{TestMI(W8, Mem{Base: RAX}, 1), "testb $0x1,(%rax)", "f60001"},
	{TestMI(W64, Mem{Base: RAX}, 1), "testq $0x1,(%rax)", "48f70001000000"},

	// SETcc, CMOVcc.
	{Setcc(CondE, RAX), "sete %al", "0f94c0"},
	{Setcc(CondNE, RSP), "setne %spl", "400f95c4"},
	{Setcc(CondB, R12), "setb %r12b", "410f92c4"},
	{Setcc(CondG, RDI), "setg %dil", "400f9fc7"},
	{Setcc(CondP, RCX), "setp %cl", "0f9ac1"},
	{CmovRR(CondL, W64, RAX, RCX), "cmovl %rcx,%rax", "480f4cc1"},
	{CmovRR(CondAE, W32, R8, R15), "cmovae %r15d,%r8d", "450f43c7"},
	{CmovRM(CondNP, W64, RAX, Mem{Base: RSP}), "cmovnp (%rsp),%rax", "480f4b0424"},

	// MUL, DIV and one-operand groups.
	{NotR(W64, RAX), "not %rax", "48f7d0"},
	{NotM(W32, Mem{Base: RAX}), "notl (%rax)", "f710"},
	{NegR(W8, RSI), "neg %sil", "40f6de"},
	{NegM(W64, Mem{Base: RAX}), "negq (%rax)", "48f718"},
	{MulR(W64, RCX), "mul %rcx", "48f7e1"},
	{MulM(W32, Mem{Base: RCX}), "mull (%rcx)", "f721"},
	{ImulR(W64, R8), "imul %r8", "49f7e8"},
	{ImulM(W64, Mem{Base: R8}), "imulq (%r8)", "49f728"},
	{DivR(W32, RCX), "div %ecx", "f7f1"},
	{DivM(W64, Mem{Base: RSP, Disp: 8}), "divq 0x8(%rsp)", "48f7742408"},
	{IdivR(W64, R11), "idiv %r11", "49f7fb"},
	{IdivM(W32, Mem{Base: R11}), "idivl (%r11)", "41f73b"},
	{IncR(W32, RAX), "inc %eax", "ffc0"},
	{IncM(W64, Mem{Base: RAX}), "incq (%rax)", "48ff00"},
	{DecR(W8, RBP), "dec %bpl", "40fecd"},
	{DecM(W16, Mem{Base: RAX}), "decw (%rax)", "66ff08"},
	{ImulRR(W64, RAX, RCX), "imul %rcx,%rax", "480fafc1"},
	{ImulRR(W16, R9, R10), "imul %r10w,%r9w", "66450fafca"},
	{ImulRM(W32, RAX, Mem{Base: RCX}), "imul (%rcx),%eax", "0faf01"},
	{ImulRRI(W64, RAX, RCX, -1), "imul $-0x1,%rcx,%rax", "486bc1ff"},
	{ImulRRI(W32, RAX, RCX, 256), "imul $0x100,%ecx,%eax", "69c100010000"},
	{ImulRMI(W64, RAX, Mem{Base: RCX}, 10), "imul $0xa,(%rcx),%rax", "486b010a"},
	{ImulRMI(W16, RAX, Mem{Base: RCX}, 1000), "imul $0x3e8,(%rcx),%ax", "666901e803"},
	{Cwd(), "cwtd", "6699"},
	{Cdq(), "cltd", "99"},
	{Cqo(), "cqto", "4899"},
	{Cdqe(), "cdqe", "4898"},

	// Shifts and rotates.
	{ShlRCL(W64, RAX), "shl %cl,%rax", "48d3e0"},
	{ShlRI(W32, RDX, 1), "shl %edx", "d1e2"},
	{ShlRI(W64, R8, 63), "shl $0x3f,%r8", "49c1e03f"},
	{ShrRCL(W32, R9), "shr %cl,%r9d", "41d3e9"},
	{ShrRI(W8, RSI, 3), "shr $0x3,%sil", "40c0ee03"},
	{SarRCL(W16, RAX), "sar %cl,%ax", "66d3f8"},
	{SarRI(W64, RAX, 31), "sar $0x1f,%rax", "48c1f81f"},
	{RolRCL(W32, RAX), "rol %cl,%eax", "d3c0"},
	{RolRI(W64, RBX, 5), "rol $0x5,%rbx", "48c1c305"},
	{RorRCL(W64, R15), "ror %cl,%r15", "49d3cf"},
	{RorRI(W32, RAX, 1), "ror %eax", "d1c8"},

	// Bit scans and counts, BSWAP.
	{BsfRR(W64, RAX, RCX), "bsf %rcx,%rax", "480fbcc1"},
	{BsfRM(W32, RAX, Mem{Base: RCX}), "bsf (%rcx),%eax", "0fbc01"},
	{BsrRR(W32, R8, RAX), "bsr %eax,%r8d", "440fbdc0"},
	{BsrRM(W64, RAX, Mem{Base: R8}), "bsr (%r8),%rax", "490fbd00"},
	{LzcntRR(W64, RAX, RCX), "lzcnt %rcx,%rax", "f3480fbdc1"},
	{LzcntRR(W16, RAX, RCX), "lzcnt %cx,%ax", "f3660fbdc1"},
	{LzcntRM(W32, RAX, Mem{Base: RCX}), "lzcnt (%rcx),%eax", "f30fbd01"},
	{TzcntRR(W32, R9, R10), "tzcnt %r10d,%r9d", "f3450fbcca"},
	{TzcntRM(W64, RAX, Mem{Base: RCX}), "tzcnt (%rcx),%rax", "f3480fbc01"},
	{PopcntRR(W64, RAX, R15), "popcnt %r15,%rax", "f3490fb8c7"},
	{PopcntRM(W32, RAX, Mem{Base: RSP}), "popcnt (%rsp),%eax", "f30fb80424"},
	{Bswap(W32, RAX), "bswap %eax", "0fc8"},
	{Bswap(W64, R13), "bswap %r13", "490fcd"},

	// Control flow, stack, no operands.
	{JmpRel8(-2), "jmp .-0x2", "ebfe"},
	{JmpRel32(0x10), "jmpq .+0x10", "e910000000"},
	{JccRel8(CondE, 0x7f), "je .+0x7f", "747f"},
	{JccRel8(CondA, -128), "ja .-0x80", "7780"},
	{JccRel32(CondLE, -0x100), "jle .-0x100", "0f8e00ffffff"},
	{JccRel32(CondNP, 0), "jnp .+0x0", "0f8b00000000"},
	{JmpR(RAX), "jmp *%rax", "ffe0"},
	{JmpR(R11), "jmp *%r11", "41ffe3"},
	{JmpM(Mem{Base: RAX, Index: RCX, Scale: 8}), "jmpq *(%rax,%rcx,8)", "ff24c8"},
	{CallRel32(-5), "callq .-0x5", "e8fbffffff"},
	{CallR(R11), "call *%r11", "41ffd3"},
	{CallM(Mem{Base: R15, Disp: 0x40}), "callq *0x40(%r15)", "41ff5740"},
	{Ret(), "retq", "c3"},
	{Push(RBP), "push %rbp", "55"},
	{Push(R12), "push %r12", "4154"},
	{Pop(RBP), "pop %rbp", "5d"},
	{Pop(R15), "pop %r15", "415f"},
	{PushI(1), "pushq $0x1", "6a01"},
	{PushI(1000), "pushq $0x3e8", "68e8030000"},
	{Ud2(), "ud2", "0f0b"},
	{Int3(), "int3", "cc"},
	{Syscall(), "syscall", "0f05"},
	{Cpuid(), "cpuid", "0fa2"},
	{Xgetbv(), "xgetbv", "0f01d0"},
	{RepStosb(), "rep stos %al,%es:(%rdi)", "f3aa"},
	{RepMovsb(), "rep movsb %ds:(%rsi),%es:(%rdi)", "f3a4"},
	{Std(), "std", "fd"},
	{Cld(), "cld", "fc"},
	{Nop(1), "nop", "90"},
	{Nop(2), "data16 nop", "6690"},
	{Nop(3), "nopl (%rax)", "0f1f00"},
	{Nop(4), "nopl (%rax)", "0f1f4000"},
	{Nop(5), "nopl (%rax,%rax)", "0f1f440000"},
	{Nop(6), "nopw (%rax,%rax)", "660f1f440000"},
	{Nop(7), "nopl (%rax)", "0f1f8000000000"},
	{Nop(8), "nopl (%rax,%rax)", "0f1f840000000000"},
	{Nop(9), "nopw (%rax,%rax)", "660f1f840000000000"},

	// SSE, SSE2, SSE4.1.
	{MovssRR(X0, X1), "movss %xmm1,%xmm0", "f30f10c1"},
	{MovssRM(X8, Mem{Base: RAX}), "movss (%rax),%xmm8", "f3440f1000"},
	{MovssMR(Mem{Base: R12, Disp: 4}, X15), "movss %xmm15,0x4(%r12,%riz)", "f3450f117c2404"},
	{MovsdRR(X9, X2), "movsd %xmm2,%xmm9", "f2440f10ca"},
	{MovsdRM(X0, RIPRel(0)), "movsd (%rip),%xmm0", "f20f100500000000"},
	{MovsdMR(Mem{Base: RSP}, X3), "movsd %xmm3,(%rsp)", "f20f111c24"},
	{MovdXR(W32, X0, RAX), "movd %eax,%xmm0", "660f6ec0"},
	{MovdXR(W64, X12, R9), "movq %r9,%xmm12", "664d0f6ee1"},
	{MovdRX(W32, R8, X1), "movd %xmm1,%r8d", "66410f7ec8"},
	{MovdRX(W64, RAX, X15), "movq %xmm15,%rax", "664c0f7ef8"},
	{AddssRR(X0, X1), "addss %xmm1,%xmm0", "f30f58c1"},
	{AddssRM(X0, Mem{Base: RAX}), "addss (%rax),%xmm0", "f30f5800"},
	{AddsdRR(X10, X11), "addsd %xmm11,%xmm10", "f2450f58d3"},
	{AddsdRM(X0, Mem{Base: R13}), "addsd (%r13),%xmm0", "f2410f584500"},
	{SubssRR(X0, X1), "subss %xmm1,%xmm0", "f30f5cc1"},
	{SubssRM(X0, Mem{Base: RAX}), "subss (%rax),%xmm0", "f30f5c00"},
	{SubsdRR(X0, X1), "subsd %xmm1,%xmm0", "f20f5cc1"},
	{SubsdRM(X0, Mem{Base: RAX}), "subsd (%rax),%xmm0", "f20f5c00"},
	{MulssRR(X0, X1), "mulss %xmm1,%xmm0", "f30f59c1"},
	{MulssRM(X0, Mem{Base: RAX}), "mulss (%rax),%xmm0", "f30f5900"},
	{MulsdRR(X0, X1), "mulsd %xmm1,%xmm0", "f20f59c1"},
	{MulsdRM(X0, Mem{Base: RAX}), "mulsd (%rax),%xmm0", "f20f5900"},
	{DivssRR(X0, X1), "divss %xmm1,%xmm0", "f30f5ec1"},
	{DivssRM(X0, Mem{Base: RAX}), "divss (%rax),%xmm0", "f30f5e00"},
	{DivsdRR(X0, X1), "divsd %xmm1,%xmm0", "f20f5ec1"},
	{DivsdRM(X0, Mem{Base: RAX}), "divsd (%rax),%xmm0", "f20f5e00"},
	{SqrtssRR(X0, X1), "sqrtss %xmm1,%xmm0", "f30f51c1"},
	{SqrtssRM(X0, Mem{Base: RAX}), "sqrtss (%rax),%xmm0", "f30f5100"},
	{SqrtsdRR(X0, X1), "sqrtsd %xmm1,%xmm0", "f20f51c1"},
	{SqrtsdRM(X0, Mem{Base: RAX}), "sqrtsd (%rax),%xmm0", "f20f5100"},
	{MinssRR(X0, X1), "minss %xmm1,%xmm0", "f30f5dc1"},
	{MinssRM(X0, Mem{Base: RAX}), "minss (%rax),%xmm0", "f30f5d00"},
	{MinsdRR(X0, X1), "minsd %xmm1,%xmm0", "f20f5dc1"},
	{MinsdRM(X0, Mem{Base: RAX}), "minsd (%rax),%xmm0", "f20f5d00"},
	{MaxssRR(X0, X1), "maxss %xmm1,%xmm0", "f30f5fc1"},
	{MaxssRM(X0, Mem{Base: RAX}), "maxss (%rax),%xmm0", "f30f5f00"},
	{MaxsdRR(X0, X1), "maxsd %xmm1,%xmm0", "f20f5fc1"},
	{MaxsdRM(X0, Mem{Base: RAX}), "maxsd (%rax),%xmm0", "f20f5f00"},
	{UcomissRR(X0, X1), "ucomiss %xmm1,%xmm0", "0f2ec1"},
	{UcomissRM(X0, Mem{Base: RAX}), "ucomiss (%rax),%xmm0", "0f2e00"},
	{UcomisdRR(X8, X1), "ucomisd %xmm1,%xmm8", "66440f2ec1"},
	{UcomisdRM(X0, Mem{Base: RAX}), "ucomisd (%rax),%xmm0", "660f2e00"},
	{ComissRR(X0, X1), "comiss %xmm1,%xmm0", "0f2fc1"},
	{ComisdRR(X0, X1), "comisd %xmm1,%xmm0", "660f2fc1"},
	{Cvtsi2ssRR(W32, X0, RAX), "cvtsi2ss %eax,%xmm0", "f30f2ac0"},
	{Cvtsi2ssRR(W64, X9, R9), "cvtsi2ss %r9,%xmm9", "f34d0f2ac9"},
	{Cvtsi2ssRM(W32, X0, Mem{Base: RAX}), "cvtsi2ssl (%rax),%xmm0", "f30f2a00"},
	{Cvtsi2sdRR(W64, X0, RAX), "cvtsi2sd %rax,%xmm0", "f2480f2ac0"},
	{Cvtsi2sdRM(W64, X0, Mem{Base: RAX}), "cvtsi2sdq (%rax),%xmm0", "f2480f2a00"},
	{Cvttss2siRR(W32, RAX, X0), "cvttss2si %xmm0,%eax", "f30f2cc0"},
	{Cvttss2siRR(W64, R10, X11), "cvttss2si %xmm11,%r10", "f34d0f2cd3"},
	{Cvttss2siRM(W64, RAX, Mem{Base: RAX}), "cvttss2si (%rax),%rax", "f3480f2c00"},
	{Cvttsd2siRR(W64, RAX, X0), "cvttsd2si %xmm0,%rax", "f2480f2cc0"},
	{Cvttsd2siRM(W32, RAX, Mem{Base: RAX}), "cvttsd2si (%rax),%eax", "f20f2c00"},
	{Cvtss2sdRR(X0, X1), "cvtss2sd %xmm1,%xmm0", "f30f5ac1"},
	{Cvtss2sdRM(X0, Mem{Base: RAX}), "cvtss2sd (%rax),%xmm0", "f30f5a00"},
	{Cvtsd2ssRR(X0, X1), "cvtsd2ss %xmm1,%xmm0", "f20f5ac1"},
	{Cvtsd2ssRM(X0, Mem{Base: RAX}), "cvtsd2ss (%rax),%xmm0", "f20f5a00"},
	{RoundssRR(X0, X1, RoundFloor), "roundss $0x1,%xmm1,%xmm0", "660f3a0ac101"},
	{RoundssRM(X0, Mem{Base: RAX}, RoundCeil), "roundss $0x2,(%rax),%xmm0", "660f3a0a0002"},
	{RoundsdRR(X14, X13, RoundTrunc|RoundNoInexact), "roundsd $0xb,%xmm13,%xmm14", "66450f3a0bf50b"},
	{RoundsdRM(X0, Mem{Base: RAX}, RoundNearest), "roundsd $0x0,(%rax),%xmm0", "660f3a0b0000"},
	{AndpsRR(X0, X1), "andps %xmm1,%xmm0", "0f54c1"},
	{AndpsRM(X0, RIPRel(0x20)), "andps 0x20(%rip),%xmm0", "0f540520000000"},
	{AndpdRR(X0, X1), "andpd %xmm1,%xmm0", "660f54c1"},
	{AndpdRM(X0, Mem{Base: RAX}), "andpd (%rax),%xmm0", "660f5400"},
	{AndnpsRR(X0, X1), "andnps %xmm1,%xmm0", "0f55c1"},
	{AndnpsRM(X0, Mem{Base: RAX}), "andnps (%rax),%xmm0", "0f5500"},
	{AndnpdRR(X0, X1), "andnpd %xmm1,%xmm0", "660f55c1"},
	{AndnpdRM(X0, Mem{Base: RAX}), "andnpd (%rax),%xmm0", "660f5500"},
	{OrpsRR(X0, X1), "orps %xmm1,%xmm0", "0f56c1"},
	{OrpsRM(X0, Mem{Base: RAX}), "orps (%rax),%xmm0", "0f5600"},
	{OrpdRR(X0, X1), "orpd %xmm1,%xmm0", "660f56c1"},
	{OrpdRM(X0, Mem{Base: RAX}), "orpd (%rax),%xmm0", "660f5600"},
	{XorpsRR(X0, X0), "xorps %xmm0,%xmm0", "0f57c0"},
	{XorpsRM(X0, Mem{Base: RAX}), "xorps (%rax),%xmm0", "0f5700"},
	{XorpdRR(X15, X8), "xorpd %xmm8,%xmm15", "66450f57f8"},
	{XorpdRM(X0, Mem{Base: RAX}), "xorpd (%rax),%xmm0", "660f5700"},
	{PxorRR(X0, X1), "pxor %xmm1,%xmm0", "660fefc1"},
	{PxorRM(X0, Mem{Base: RAX}), "pxor (%rax),%xmm0", "660fef00"},
	{MovapsRR(X0, X1), "movaps %xmm1,%xmm0", "0f28c1"},
	{MovapsRM(X0, Mem{Base: RAX}), "movaps (%rax),%xmm0", "0f2800"},
	{MovapsMR(Mem{Base: RAX}, X0), "movaps %xmm0,(%rax)", "0f2900"},
	{MovapdRR(X0, X1), "movapd %xmm1,%xmm0", "660f28c1"},
	{MovapdRM(X0, Mem{Base: RAX}), "movapd (%rax),%xmm0", "660f2800"},
	{MovapdMR(Mem{Base: RAX}, X0), "movapd %xmm0,(%rax)", "660f2900"},
	{MovupsRM(X0, Mem{Base: RAX}), "movups (%rax),%xmm0", "0f1000"},
	{MovupsMR(Mem{Base: RAX}, X0), "movups %xmm0,(%rax)", "0f1100"},
	{MovdquRR(X0, X1), "movdqu %xmm1,%xmm0", "f30f6fc1"},
	{MovdquRM(X0, Mem{Base: RAX, Index: RBX, Scale: 1}), "movdqu (%rax,%rbx),%xmm0", "f30f6f0418"},
	{MovdquMR(Mem{Base: R8}, X9), "movdqu %xmm9,(%r8)", "f3450f7f08"},
}

func TestEncode(t *testing.T) {
	for _, tt := range encodeTests {
		checkGNU(t, tt.inst, tt.text)
		if got := hex.EncodeToString(tt.inst.Bytes()); got != tt.hex {
			t.Errorf("%s: encoded as %s, want %s", tt.text, got, tt.hex)
		}
	}
}

// sdmTests are bytes written by hand from the Intel SDM for forms whose x86asm text cannot
// tell the encodings apart (three NOP lengths all print "nopl (%rax)"; a disp8 of 0 and no
// displacement print alike) or where x86asm departs from GNU objdump (cdqe for cltq). Each is
// decoded as well, so it must also be a single instruction of that length.
var sdmTests = []struct {
	inst Inst
	hex  string
	cite string
}{
	{Nop(1), "90", "vol. 2B, NOP, table 4-12"},
	{Nop(2), "6690", "vol. 2B, NOP, table 4-12"},
	{Nop(3), "0f1f00", "vol. 2B, NOP, table 4-12"},
	{Nop(4), "0f1f4000", "vol. 2B, NOP, table 4-12"},
	{Nop(5), "0f1f440000", "vol. 2B, NOP, table 4-12"},
	{Nop(6), "660f1f440000", "vol. 2B, NOP, table 4-12"},
	{Nop(7), "0f1f8000000000", "vol. 2B, NOP, table 4-12"},
	{Nop(8), "0f1f840000000000", "vol. 2B, NOP, table 4-12"},
	{Nop(9), "660f1f840000000000", "vol. 2B, NOP, table 4-12"},
	{MovRM(W64, RAX, Mem{Base: RBP}), "488b4500", "vol. 2A, table 2-2: mod 00 rm 101 is disp32, so [rbp] takes disp8 0"},
	{MovRM(W64, RAX, Mem{Base: R13}), "498b4500", "vol. 2A, 2.2.1.3: R13 as base follows the RBP rule"},
	{MovRM(W64, RAX, Mem{Base: RSP}), "488b0424", "vol. 2A, table 2-2: rm 100 means SIB, so [rsp] needs SIB 24"},
	{MovRM(W64, RAX, Mem{Base: R12}), "498b0424", "vol. 2A, 2.2.1.3: R12 as base follows the RSP rule"},
	{MovRM(W64, RAX, Mem{Base: RAX, Index: R12}), "4a8b0420", "vol. 2A, table 2-3: SIB index 100 with REX.X is r12"},
	{MovRM(W64, RAX, RIPRel(0x10)), "488b0510000000", "vol. 2A, 2.2.1.6, RIP-relative addressing"},
	{MovRM(W32, RAX, Mem{Disp: 0x1000}), "8b042500100000", "vol. 2A, table 2-3: SIB base 101 with mod 00 is disp32, no base"},
	{XchgRR(W32, RAX, RAX), "87c0", "vol. 2C, XCHG: 90 is NOP in 64-bit mode and would not zero-extend"},
	{Setcc(CondE, RSI), "400f94c6", "vol. 2A, 2.2.1.2: with any REX, byte register 6 is sil, not dh"},
	{MovzxRR(W32, W8, RSI, RAX), "0fb6f0", "vol. 2A, 2.2.1.2: no REX when the byte register is al"},
	{Cdqe(), "4898", "vol. 2A, CBW/CWDE/CDQE (REX.W 98)"},
	{AddRI(W32, RAX, 0x1000), "0500100000", "vol. 2A, ADD: 05 id, the EAX form, one byte shorter than 81 /0"},
	{AddRI(W64, RCX, -1), "4883c1ff", "vol. 2A, ADD: 83 /0 ib, sign-extended imm8"},
	{MovAbs(RAX, -2), "48b8feffffffffffffff", "vol. 2B, MOV: REX.W B8+rd io"},
}

func TestEncodeSDM(t *testing.T) {
	for _, tt := range sdmTests {
		if got := hex.EncodeToString(tt.inst.Bytes()); got != tt.hex {
			t.Errorf("%s: encoded as %s, want %s", tt.cite, got, tt.hex)
		}
		if _, err := decodeGNU(tt.inst.Bytes()); err != nil {
			t.Errorf("%s: %v", tt.cite, err)
		}
	}
}
