package arm64

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/arch/arm64/arm64asm"
)

// decodeGNU decodes i with arm64asm, the independent decoder, and returns its GNU text.
func decodeGNU(i Inst) (string, error) {
	b := i.Bytes()
	if len(b) != 4 || i.Len() != 4 {
		return "", fmt.Errorf("%v: %d bytes, want 4", i, len(b))
	}
	d, err := arm64asm.Decode(b)
	if err != nil {
		return "", fmt.Errorf("%v: arm64asm: %v", i, err)
	}
	return strings.TrimRight(arm64asm.GNUSyntax(d), " "), nil
}

// checkGNU reports whether i decodes to want, and says why not.
func checkGNU(t *testing.T, i Inst, want string) bool {
	t.Helper()
	got, err := decodeGNU(i)
	if err != nil {
		t.Errorf("want %q: %v", want, err)
		return false
	}
	if got != want {
		t.Errorf("%v: arm64asm says %q, want %q", i, got, want)
		return false
	}
	return true
}

// Disassembly quirks of arm64asm's GNU syntax that the expected texts follow, where GNU
// objdump would print otherwise:
//   - memory operands have no space after their commas: [x1,#8], [x1,x2,lsl #3], [sp],#16;
//   - PC-relative targets print as .+ an unsigned 64-bit distance: -4 is .+0xfffffffffffffffc;
//   - FCMP with zero prints #0, not #0.0;
//   - NOP prints with a trailing space, which decodeGNU trims;
//   - condition code NV (1111) prints as al.
// The texts were checked against the Arm ARM's assembler syntax for each form.

// encodeTests are the hand-written cases: at least one per exported constructor, with the
// text arm64asm must decode them to and the instruction word, pinned so that a change of form
// (LDUR for LDR, a shifted immediate) shows up even when the text stays the same.
var encodeTests = []struct {
	inst Inst
	text string
	word uint32
}{
	// Move wide, MOV.
	{Movz(W64, X0, 1, 0), "mov x0, #0x1", 0xd2800020},
	{Movz(W64, X1, 0x1234, 16), "mov x1, #0x12340000", 0xd2a24681},
	{Movz(W32, X2, 0xffff, 16), "mov w2, #0xffff0000", 0x52bfffe2},
	{Movz(W64, X3, 0, 48), "movz x3, #0x0, lsl #48", 0xd2e00003},
	{Movz(W64, XZR, 7, 32), "mov xzr, #0x700000000", 0xd2c000ff},
	{Movn(W64, X0, 0, 0), "mov x0, #0xffffffffffffffff", 0x92800000},
	{Movn(W32, X0, 0, 0), "mov w0, #0xffffffff", 0x12800000},
	{Movn(W64, X5, 0x1234, 32), "mov x5, #0xffffedcbffffffff", 0x92c24685},
	{Movn(W32, X0, 0xffff, 0), "movn w0, #0xffff", 0x129fffe0},
	{Movk(W64, X0, 0xbeef, 48), "movk x0, #0xbeef, lsl #48", 0xf2f7dde0},
	{Movk(W32, X30, 1, 0), "movk w30, #0x1", 0x7280003e},
	{Mov(W64, X0, X1), "mov x0, x1", 0xaa0103e0},
	{Mov(W32, X0, X1), "mov w0, w1", 0x2a0103e0},
	{Mov(W64, SP, X29), "mov sp, x29", 0x910003bf},
	{Mov(W64, X29, SP), "mov x29, sp", 0x910003fd},
	{Mov(W32, X0, XZR), "mov w0, wzr", 0x2a1f03e0},

	// ADD, SUB, ADDS, SUBS, CMP, CMN, NEG.
	{AddImm(W64, X0, X1, 0), "add x0, x1, #0x0", 0x91000020},
	{AddImm(W64, SP, SP, 16), "add sp, sp, #0x10", 0x910043ff},
	{AddImm(W32, X0, X1, 4095), "add w0, w1, #0xfff", 0x113ffc20},
	{AddImm(W64, X0, X1, 4096), "add x0, x1, #0x1, lsl #12", 0x91400420},
	{AddImm(W64, X0, X1, 0xfff000), "add x0, x1, #0xfff, lsl #12", 0x917ffc20},
	{SubImm(W64, SP, SP, 32), "sub sp, sp, #0x20", 0xd10083ff},
	{AddsImm(W32, X0, X1, 1), "adds w0, w1, #0x1", 0x31000420},
	{SubsImm(W64, X0, SP, 1), "subs x0, sp, #0x1", 0xf10007e0},
	{CmpImm(W64, X0, 0), "cmp x0, #0x0", 0xf100001f},
	{CmpImm(W32, SP, 4096), "cmp wsp, #0x1, lsl #12", 0x714007ff},
	{CmnImm(W64, X3, 1), "cmn x3, #0x1", 0xb100047f},
	{Add(W64, X0, X1, X2), "add x0, x1, x2", 0x8b020020},
	{Add(W64, SP, SP, X1), "add sp, sp, x1", 0x8b2163ff},
	{Add(W32, X0, SP, X1), "add w0, wsp, w1", 0x0b2143e0},
	{Add(W64, X0, XZR, X1), "add x0, xzr, x1", 0x8b0103e0},
	{Sub(W64, SP, SP, X16), "sub sp, sp, x16", 0xcb3063ff},
	{Sub(W32, X0, X1, X2), "sub w0, w1, w2", 0x4b020020},
	{Adds(W64, X0, X1, X2), "adds x0, x1, x2", 0xab020020},
	{Subs(W64, X0, SP, X2), "subs x0, sp, x2", 0xeb2263e0},
	{Cmp(W64, SP, X16), "cmp sp, x16", 0xeb3063ff},
	{Cmp(W32, X0, X1), "cmp w0, w1", 0x6b01001f},
	{Cmn(W64, X0, X1), "cmn x0, x1", 0xab01001f},
	{Neg(W64, X0, X1), "neg x0, x1", 0xcb0103e0},
	{AddShift(W64, X0, X1, X2, ShiftLSL, 3), "add x0, x1, x2, lsl #3", 0x8b020c20},
	{AddShift(W32, X0, X1, X2, ShiftASR, 31), "add w0, w1, w2, asr #31", 0x0b827c20},
	{SubShift(W64, X0, X1, X2, ShiftLSR, 63), "sub x0, x1, x2, lsr #63", 0xcb42fc20},
	{SubShift(W64, X0, XZR, X2, ShiftLSL, 1), "neg x0, x2, lsl #1", 0xcb0207e0},
	{AddsShift(W64, X0, X1, X2, ShiftLSR, 1), "adds x0, x1, x2, lsr #1", 0xab420420},
	{SubsShift(W32, X0, X1, X2, ShiftASR, 2), "subs w0, w1, w2, asr #2", 0x6b820820},
	{CmpShift(W64, X0, X1, ShiftLSL, 2), "cmp x0, x1, lsl #2", 0xeb01081f},
	{AddExt(W64, X0, X1, X2, ExtUXTW, 2), "add x0, x1, w2, uxtw #2", 0x8b224820},
	{AddExt(W64, SP, SP, X2, ExtSXTW, 0), "add sp, sp, w2, sxtw", 0x8b22c3ff},
	{AddExt(W64, X0, X1, X2, ExtUXTX, 3), "add x0, x1, x2, uxtx #3", 0x8b226c20},
	{AddExt(W64, X0, SP, X2, ExtUXTX, 3), "add x0, sp, x2, lsl #3", 0x8b226fe0},
	{SubExt(W64, X0, X1, X2, ExtSXTB, 0), "sub x0, x1, w2, sxtb", 0xcb228020},
	{SubExt(W32, X0, X1, X2, ExtUXTH, 4), "sub w0, w1, w2, uxth #4", 0x4b223020},
	{AddsExt(W64, X0, SP, X2, ExtSXTX, 1), "adds x0, sp, x2, sxtx #1", 0xab22e7e0},
	{SubsExt(W64, X0, X1, X2, ExtUXTB, 0), "subs x0, x1, w2, uxtb", 0xeb220020},
	{CmpExt(W64, X0, X1, ExtSXTH, 1), "cmp x0, w1, sxth #1", 0xeb21a41f},

	// Logical.
	{And(W64, X0, X1, X2), "and x0, x1, x2", 0x8a020020},
	{AndShift(W32, X0, X1, X2, ShiftROR, 7), "and w0, w1, w2, ror #7", 0x0ac21c20},
	{AndImm(W64, X0, X1, 0xff), "and x0, x1, #0xff", 0x92401c20},
	{AndImm(W64, SP, X0, ^uint64(15)), "and sp, x0, #0xfffffffffffffff0", 0x927cec1f},
	{AndImm(W32, X0, X1, 0x80000000), "and w0, w1, #0x80000000", 0x12010020},
	{Orr(W64, X0, X1, X2), "orr x0, x1, x2", 0xaa020020},
	{Orr(W64, X0, XZR, X2), "mov x0, x2", 0xaa0203e0},
	{OrrShift(W64, X0, X1, X2, ShiftLSL, 32), "orr x0, x1, x2, lsl #32", 0xaa028020},
	{OrrImm(W64, X0, XZR, 0x5555555555555555), "mov x0, #0x5555555555555555", 0xb200f3e0},
	{OrrImm(W64, X0, XZR, 1), "orr x0, xzr, #0x1", 0xb24003e0}, // MOVZ is preferred, so no MOV
	{OrrImm(W32, SP, X1, 0xff00ff), "orr wsp, w1, #0xff00ff", 0x32009c3f},
	{Eor(W32, X0, X1, X2), "eor w0, w1, w2", 0x4a020020},
	{EorShift(W64, X0, X1, X2, ShiftASR, 3), "eor x0, x1, x2, asr #3", 0xca820c20},
	{EorImm(W32, X0, X0, 1), "eor w0, w0, #0x1", 0x52000000},
	{Ands(W64, X0, X1, X2), "ands x0, x1, x2", 0xea020020},
	{AndsShift(W64, X0, X1, X2, ShiftLSR, 4), "ands x0, x1, x2, lsr #4", 0xea421020},
	{AndsImm(W64, X0, X1, 0xf0), "ands x0, x1, #0xf0", 0xf27c0c20},
	{Tst(W64, X0, X1), "tst x0, x1", 0xea01001f},
	{TstImm(W32, X0, 0xf), "tst w0, #0xf", 0x72000c1f},
	{Bic(W64, X0, X1, X2), "bic x0, x1, x2", 0x8a220020},
	{BicShift(W32, X0, X1, X2, ShiftLSL, 1), "bic w0, w1, w2, lsl #1", 0x0a220420},
	{Orn(W64, X0, X1, X2), "orn x0, x1, x2", 0xaa220020},
	{OrnShift(W64, X0, X1, X2, ShiftROR, 63), "orn x0, x1, x2, ror #63", 0xaae2fc20},
	{Eon(W64, X0, X1, X2), "eon x0, x1, x2", 0xca220020},
	{EonShift(W32, X0, X1, X2, ShiftLSR, 3), "eon w0, w1, w2, lsr #3", 0x4a620c20},
	{Mvn(W64, X0, X1), "mvn x0, x1", 0xaa2103e0},

	// Multiply, divide, shifts, bit operations.
	{Madd(W64, X0, X1, X2, X3), "madd x0, x1, x2, x3", 0x9b020c20},
	{Msub(W32, X0, X1, X2, X3), "msub w0, w1, w2, w3", 0x1b028c20},
	{Mul(W64, X0, X1, X2), "mul x0, x1, x2", 0x9b027c20},
	{Smulh(X0, X1, X2), "smulh x0, x1, x2", 0x9b427c20},
	{Umulh(X0, X1, X2), "umulh x0, x1, x2", 0x9bc27c20},
	{Udiv(W32, X0, X1, X2), "udiv w0, w1, w2", 0x1ac20820},
	{Sdiv(W64, X0, X1, X2), "sdiv x0, x1, x2", 0x9ac20c20},
	{Lsl(W64, X0, X1, X2), "lsl x0, x1, x2", 0x9ac22020},
	{Lsr(W32, X0, X1, X2), "lsr w0, w1, w2", 0x1ac22420},
	{Asr(W64, X0, X1, X2), "asr x0, x1, x2", 0x9ac22820},
	{Ror(W32, X0, X1, X2), "ror w0, w1, w2", 0x1ac22c20},
	{Rbit(W64, X0, X1), "rbit x0, x1", 0xdac00020},
	{Rev(W32, X0, X1), "rev w0, w1", 0x5ac00820},
	{Rev(W64, X0, X1), "rev x0, x1", 0xdac00c20},
	{Clz(W32, X0, X1), "clz w0, w1", 0x5ac01020},
	{LslImm(W64, X0, X1, 1), "lsl x0, x1, #1", 0xd37ff820},
	{LslImm(W32, X0, X1, 31), "lsl w0, w1, #31", 0x53010020},
	{LslImm(W64, X0, X1, 0), "lsr x0, x1, #0", 0xd340fc20},
	{LsrImm(W64, X0, X1, 63), "lsr x0, x1, #63", 0xd37ffc20},
	{LsrImm(W32, X0, X1, 1), "lsr w0, w1, #1", 0x53017c20},
	{AsrImm(W32, X0, X1, 31), "asr w0, w1, #31", 0x131f7c20},
	{AsrImm(W64, X0, X1, 7), "asr x0, x1, #7", 0x9347fc20},
	{RorImm(W64, X0, X1, 8), "ror x0, x1, #8", 0x93c12020},
	{Extr(W64, X0, X1, X2, 16), "extr x0, x1, x2, #16", 0x93c24020},
	{Ubfx(W64, X0, X1, 8, 8), "ubfx x0, x1, #8, #8", 0xd3483c20},
	{Sbfx(W32, X0, X1, 4, 4), "sbfx w0, w1, #4, #4", 0x13041c20},
	{Sbfm(W64, X0, X1, 60, 3), "sbfiz x0, x1, #4, #4", 0x937c0c20},
	{Bfm(W64, X0, X1, 0, 7), "bfxil x0, x1, #0, #8", 0xb3401c20},
	{Ubfm(W32, X0, X1, 0, 7), "uxtb w0, w1", 0x53001c20},
	{Sxtb(W64, X0, X1), "sxtb x0, w1", 0x93401c20},
	{Sxtb(W32, X0, X1), "sxtb w0, w1", 0x13001c20},
	{Sxth(W64, X0, X1), "sxth x0, w1", 0x93403c20},
	{Sxtw(X0, X1), "sxtw x0, w1", 0x93407c20},
	{Uxtb(X0, X1), "uxtb w0, w1", 0x53001c20},
	{Uxth(X0, X1), "uxth w0, w1", 0x53003c20},

	// Conditional select.
	{Csel(W64, X0, X1, X2, CondEQ), "csel x0, x1, x2, eq", 0x9a820020},
	{Csinc(W32, X0, X1, X2, CondNE), "csinc w0, w1, w2, ne", 0x1a821420},
	{Csinc(W64, X0, X1, X1, CondGE), "cinc x0, x1, lt", 0x9a81a420},
	{Csinv(W64, X0, X1, X2, CondLT), "csinv x0, x1, x2, lt", 0xda82b020},
	{Csneg(W32, X0, X1, X2, CondHI), "csneg w0, w1, w2, hi", 0x5a828420},
	{Cset(W32, X0, CondEQ), "cset w0, eq", 0x1a9f17e0},
	{Cset(W64, X0, CondHS), "cset x0, cs", 0x9a9f37e0},
	{Csetm(W64, X0, CondLO), "csetm x0, cc", 0xda9f23e0},

	// Loads and stores.
	{Ldr(W64, X0, MemOff(X1, 0)), "ldr x0, [x1]", 0xf9400020},
	{Ldr(W64, X0, MemOff(SP, 32760)), "ldr x0, [sp,#32760]", 0xf97fffe0},
	{Ldr(W32, X0, MemOff(X1, 16380)), "ldr w0, [x1,#16380]", 0xb97ffc20},
	{Ldr(W64, X0, MemOff(X1, -8)), "ldur x0, [x1,#-8]", 0xf85f8020},
	{Ldr(W64, X0, MemOff(X1, 4)), "ldur x0, [x1,#4]", 0xf8404020},
	{Ldr(W64, X0, MemIndex(X1, X2, ExtUXTX, true)), "ldr x0, [x1,x2,lsl #3]", 0xf8627820},
	{Ldr(W32, X0, MemIndex(X1, X2, ExtUXTW, false)), "ldr w0, [x1,w2,uxtw]", 0xb8624820},
	{Ldr(W64, X0, MemIndex(X1, X2, ExtSXTW, true)), "ldr x0, [x1,w2,sxtw #3]", 0xf862d820},
	{Ldr(W64, X0, MemIndex(X1, X2, ExtSXTX, false)), "ldr x0, [x1,x2,sxtx]", 0xf862e820},
	{Ldr(W64, X0, MemPre(SP, -16)), "ldr x0, [sp,#-16]!", 0xf85f0fe0},
	{Ldr(W64, X0, MemPost(SP, 16)), "ldr x0, [sp],#16", 0xf84107e0},
	{Str(W64, XZR, MemOff(X0, 8)), "str xzr, [x0,#8]", 0xf900041f},
	{Str(W32, X1, MemPre(X0, 4)), "str w1, [x0,#4]!", 0xb8004c01},
	{Str(W64, X1, MemPost(X0, -256)), "str x1, [x0],#-256", 0xf8100401},
	{Str(W32, X1, MemOff(X0, 255)), "stur w1, [x0,#255]", 0xb80ff001},
	{Ldrb(X0, MemOff(X1, 4095)), "ldrb w0, [x1,#4095]", 0x397ffc20},
	{Ldrb(X0, MemIndex(X1, X2, ExtUXTW, false)), "ldrb w0, [x1,w2,uxtw]", 0x38624820},
	{Ldrb(X0, MemIndex(X1, X2, ExtUXTX, false)), "ldrb w0, [x1,x2]", 0x38626820},
	{Ldrb(X0, MemIndex(X1, X2, ExtUXTX, true)), "ldrb w0, [x1,x2,lsl #0]", 0x38627820},
	{Ldrh(X0, MemOff(X1, 8190)), "ldrh w0, [x1,#8190]", 0x797ffc20},
	{Ldrh(X0, MemIndex(X1, X2, ExtUXTX, true)), "ldrh w0, [x1,x2,lsl #1]", 0x78627820},
	{Strb(X3, MemOff(X1, -1)), "sturb w3, [x1,#-1]", 0x381ff023},
	{Strb(X3, MemPost(X1, 1)), "strb w3, [x1],#1", 0x38001423},
	{Strh(X3, MemOff(X1, 2)), "strh w3, [x1,#2]", 0x79000423},
	{Strh(X3, MemIndex(X1, X2, ExtSXTW, true)), "strh w3, [x1,w2,sxtw #1]", 0x7822d823},
	{Ldrsb(W64, X0, MemOff(X1, 1)), "ldrsb x0, [x1,#1]", 0x39800420},
	{Ldrsb(W32, X0, MemOff(X1, 1)), "ldrsb w0, [x1,#1]", 0x39c00420},
	{Ldrsb(W64, X0, MemPre(X1, -1)), "ldrsb x0, [x1,#-1]!", 0x389ffc20},
	{Ldrsh(W64, X0, MemOff(X1, 2)), "ldrsh x0, [x1,#2]", 0x79800420},
	{Ldrsh(W32, X0, MemOff(X1, -2)), "ldursh w0, [x1,#-2]", 0x78dfe020},
	{Ldrsw(X0, MemOff(X1, 4)), "ldrsw x0, [x1,#4]", 0xb9800420},
	{Ldrsw(X0, MemIndex(X1, X2, ExtSXTW, true)), "ldrsw x0, [x1,w2,sxtw #2]", 0xb8a2d820},
	{Ldrsw(X0, MemOff(X1, 1)), "ldursw x0, [x1,#1]", 0xb8801020},
	{LdrV(W32, V0, MemOff(X1, 4)), "ldr s0, [x1,#4]", 0xbd400420},
	{LdrV(W64, V1, MemOff(SP, 8)), "ldr d1, [sp,#8]", 0xfd4007e1},
	{LdrV(W128, V2, MemOff(X0, 16)), "ldr q2, [x0,#16]", 0x3dc00402},
	{LdrV(W8, V3, MemOff(X0, 0)), "ldr b3, [x0]", 0x3d400003},
	{LdrV(W16, V3, MemOff(X0, 2)), "ldr h3, [x0,#2]", 0x7d400403},
	{LdrV(W64, V0, MemOff(X0, -8)), "ldur d0, [x0,#-8]", 0xfc5f8000},
	{LdrV(W64, V0, MemIndex(X0, X1, ExtUXTX, true)), "ldr d0, [x0,x1,lsl #3]", 0xfc617800},
	{LdrV(W128, V31, MemPost(X0, 16)), "ldr q31, [x0],#16", 0x3cc1041f},
	{StrV(W64, V8, MemPre(SP, -16)), "str d8, [sp,#-16]!", 0xfc1f0fe8},
	{StrV(W32, V8, MemOff(X2, 4)), "str s8, [x2,#4]", 0xbd000448},
	{StrV(W128, V8, MemIndex(X2, X3, ExtUXTW, true)), "str q8, [x2,w3,uxtw #4]", 0x3ca35848},
	{Ldp(W64, X29, X30, MemPost(SP, 16)), "ldp x29, x30, [sp],#16", 0xa8c17bfd},
	{Stp(W64, X29, X30, MemPre(SP, -16)), "stp x29, x30, [sp,#-16]!", 0xa9bf7bfd},
	{Stp(W32, X0, X1, MemOff(X2, 252)), "stp w0, w1, [x2,#252]", 0x291f8440},
	{Ldp(W64, X19, X20, MemOff(SP, -512)), "ldp x19, x20, [sp,#-512]", 0xa96053f3},
	{Ldp(W64, X0, X1, MemOff(SP, 504)), "ldp x0, x1, [sp,#504]", 0xa95f87e0},
	{StpV(W64, V8, V9, MemOff(SP, 16)), "stp d8, d9, [sp,#16]", 0x6d0127e8},
	{LdpV(W128, V0, V1, MemPre(SP, -32)), "ldp q0, q1, [sp,#-32]!", 0xadff07e0},
	{LdpV(W32, V0, V1, MemOff(X0, 0)), "ldp s0, s1, [x0]", 0x2d400400},
	{LdrLit(W64, X0, 8), "ldr x0, .+0x8", 0x58000040},
	{LdrLit(W32, X0, -4), "ldr w0, .+0xfffffffffffffffc", 0x18ffffe0},
	{LdrLitV(W64, V0, 1<<20-4), "ldr d0, .+0xffffc", 0x5c7fffe0},
	{LdrLitV(W128, V1, -1<<20), "ldr q1, .+0xfffffffffff00000", 0x9c800001},
	{LdrLitV(W32, V2, 0), "ldr s2, .+0x0", 0x1c000002},
	{Adr(X0, 1), "adr x0, .+0x1", 0x30000000},
	{Adr(X0, -1), "adr x0, .+0xffffffffffffffff", 0x70ffffe0},
	{Adrp(X0, 4096), "adrp x0, .+0x1000", 0xb0000000},
	{Adrp(X1, -1<<32), "adrp x1, .+0xffffffff00000000", 0x90800001},

	// Branches and system.
	{B(0), "b .+0x0", 0x14000000},
	{B(-4), "b .+0xfffffffffffffffc", 0x17ffffff},
	{B(1<<27 - 4), "b .+0x7fffffc", 0x15ffffff},
	{Bl(4), "bl .+0x4", 0x94000001},
	{BCond(CondEQ, 8), "b.eq .+0x8", 0x54000040},
	{BCond(CondCS, -8), "b.cs .+0xfffffffffffffff8", 0x54ffffc2},
	{BCond(CondLE, 1<<20-4), "b.le .+0xffffc", 0x547fffed},
	{Cbz(W32, X0, 8), "cbz w0, .+0x8", 0x34000040},
	{Cbnz(W64, X1, -8), "cbnz x1, .+0xfffffffffffffff8", 0xb5ffffc1},
	{Tbz(X0, 0, 4), "tbz w0, #0, .+0x4", 0x36000020},
	{Tbnz(X0, 63, 1<<15-4), "tbnz x0, #63, .+0x7ffc", 0xb7fbffe0},
	{Tbz(X3, 32, -1<<15), "tbz x3, #32, .+0xffffffffffff8000", 0xb6040003},
	{Br(X16), "br x16", 0xd61f0200},
	{Blr(X17), "blr x17", 0xd63f0220},
	{Ret(), "ret", 0xd65f03c0},
	{Svc(0), "svc #0x0", 0xd4000001},
	{Svc(0x80), "svc #0x80", 0xd4001001},
	{Brk(0xf000), "brk #0xf000", 0xd43e0000},
	{Nop(), "nop", 0xd503201f},

	// Floating point.
	{Fadd(W32, V0, V1, V2), "fadd s0, s1, s2", 0x1e222820},
	{Fadd(W64, V0, V1, V2), "fadd d0, d1, d2", 0x1e622820},
	{Fsub(W64, V0, V1, V2), "fsub d0, d1, d2", 0x1e623820},
	{Fmul(W32, V3, V4, V5), "fmul s3, s4, s5", 0x1e250883},
	{Fdiv(W64, V3, V4, V5), "fdiv d3, d4, d5", 0x1e651883},
	{Fmin(W32, V0, V1, V2), "fmin s0, s1, s2", 0x1e225820},
	{Fmax(W64, V0, V1, V2), "fmax d0, d1, d2", 0x1e624820},
	{Fmov(W64, V0, V1), "fmov d0, d1", 0x1e604020},
	{Fabs(W32, V0, V1), "fabs s0, s1", 0x1e20c020},
	{Fneg(W64, V0, V1), "fneg d0, d1", 0x1e614020},
	{Fsqrt(W64, V0, V1), "fsqrt d0, d1", 0x1e61c020},
	{Frintn(W32, V0, V1), "frintn s0, s1", 0x1e244020},
	{Frintm(W64, V0, V1), "frintm d0, d1", 0x1e654020},
	{Frintp(W64, V0, V1), "frintp d0, d1", 0x1e64c020},
	{Frintz(W32, V0, V1), "frintz s0, s1", 0x1e25c020},
	{Fcvt(W64, W32, V0, V1), "fcvt d0, s1", 0x1e22c020},
	{Fcvt(W32, W64, V0, V1), "fcvt s0, d1", 0x1e624020},
	{Fcmp(W64, V0, V1), "fcmp d0, d1", 0x1e612000},
	{FcmpZero(W32, V0), "fcmp s0, #0", 0x1e202008},
	{Fcsel(W64, V0, V1, V2, CondMI), "fcsel d0, d1, d2, mi", 0x1e624c20},
	{FmovImm(W32, V0, 1.0), "fmov s0, #1.000000000000000000e+00", 0x1e2e1000},
	{FmovImm(W64, V1, -0.125), "fmov d1, #-1.250000000000000000e-01", 0x1e781001},
	{FmovImm(W64, V1, 31), "fmov d1, #3.100000000000000000e+01", 0x1e67f001},
	{Scvtf(W32, W32, V0, X1), "scvtf s0, w1", 0x1e220020},
	{Scvtf(W64, W64, V0, X1), "scvtf d0, x1", 0x9e620020},
	{Scvtf(W64, W32, V0, X1), "scvtf d0, w1", 0x1e620020},
	{Ucvtf(W32, W64, V0, X1), "ucvtf s0, x1", 0x9e230020},
	{Fcvtzs(W32, W32, X0, V1), "fcvtzs w0, s1", 0x1e380020},
	{Fcvtzs(W64, W64, X0, V1), "fcvtzs x0, d1", 0x9e780020},
	{Fcvtzu(W32, W64, X0, V1), "fcvtzu w0, d1", 0x1e790020},
	{Fcvtzu(W64, W32, X0, V1), "fcvtzu x0, s1", 0x9e390020},
	{FmovVR(W32, V0, X1), "fmov s0, w1", 0x1e270020},
	{FmovVR(W64, V0, XZR), "fmov d0, xzr", 0x9e6703e0},
	{FmovRV(W32, X0, V1), "fmov w0, s1", 0x1e260020},
	{FmovRV(W64, X0, V1), "fmov x0, d1", 0x9e660020},
	{Cnt8B(V0, V1), "cnt v0.8b, v1.8b", 0x0e205820},
	{Addv8B(V0, V1), "addv b0, v1.8b", 0x0e31b820},
}

func TestEncode(t *testing.T) {
	for _, c := range encodeTests {
		if checkGNU(t, c.inst, c.text) && c.inst.Word() != c.word {
			t.Errorf("%q: encoded %08x, want %08x", c.text, c.inst.Word(), c.word)
		}
	}
	t.Logf("%d cases checked against arm64asm", len(encodeTests))
}

func TestPopcnt(t *testing.T) {
	for _, c := range []struct {
		w    Width
		want []string
	}{
		{W32, []string{"fmov s31, w1", "cnt v31.8b, v31.8b", "addv b31, v31.8b", "fmov w0, s31"}},
		{W64, []string{"fmov d31, x1", "cnt v31.8b, v31.8b", "addv b31, v31.8b", "fmov w0, s31"}},
	} {
		insts := Popcnt(c.w, X0, X1, V31)
		if len(insts) != len(c.want) {
			t.Fatalf("Popcnt(%v) is %d instructions", c.w, len(insts))
		}
		for k, i := range insts {
			checkGNU(t, i, c.want[k])
		}
	}
}

// handTests are the forms arm64asm cannot decode, with their words taken field by field from
// the Arm ARM. TestHand requires that arm64asm still rejects each word: once it learns one,
// the row moves to encodeTests.
var handTests = []struct {
	inst Inst
	word uint32
	why  string
}{
	// Arm ARM C6.2, UDF: 0000 0000 0000 0000 imm16.
	{Udf(0), 0x00000000, "UDF #0"},
	{Udf(0xdead), 0x0000dead, "UDF #0xdead"},
	{Udf(0xffff), 0x0000ffff, "UDF #0xffff"},
}

func TestHand(t *testing.T) {
	for _, c := range handTests {
		if c.inst.Word() != c.word {
			t.Errorf("%s: encoded %08x, want %08x", c.why, c.inst.Word(), c.word)
		}
		if d, err := arm64asm.Decode(c.inst.Bytes()); err == nil {
			t.Errorf("%s: arm64asm now decodes %08x as %q; move it to encodeTests", c.why, c.word, arm64asm.GNUSyntax(d))
		}
	}
	t.Logf("%d cases checked by hand", len(handTests))
}
