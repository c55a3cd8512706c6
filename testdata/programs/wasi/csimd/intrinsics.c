// WebAssembly SIMD through wasm_simd128.h: one line per group of intrinsics, each the
// lanes of a result. The golden is what Wasmtime prints (build.sh); the inputs include
// the lanes' extremes, NaN, infinities and -0, where the instructions' edge cases are.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasm_simd128.h>

static void bytes(const char *name, v128_t v) {
	uint8_t b[16];
	wasm_v128_store(b, v);
	printf("%-14s", name);
	for (int i = 0; i < 16; i++) printf(" %02x", b[i]);
	printf("\n");
}

// A NaN's sign and payload are left open by WebAssembly (x86 makes -NaN, Arm +NaN), so
// float results print with every NaN lane made the positive canonical NaN.
static v128_t f32(v128_t v) {
	return wasm_v128_bitselect(wasm_i32x4_splat(0x7fc00000), v, wasm_f32x4_ne(v, v));
}

static v128_t f64(v128_t v) {
	return wasm_v128_bitselect(wasm_i64x2_splat(0x7ff8000000000000LL), v, wasm_f64x2_ne(v, v));
}

static volatile int32_t seed = 7; // keeps clang from folding the intrinsics away

int main(void) {
	int32_t k = seed;
	v128_t i8 = wasm_i8x16_make(0, 1, -1, 127, -128, 5, 100, -100, 42, -42, 64, -64, 3, 9, 27, (int8_t)k);
	v128_t j8 = wasm_i8x16_make(-128, 127, 1, 1, -1, 5, 100, 100, 0, 0, -64, 64, 7, 11, 13, (int8_t)(k * 3));
	v128_t i16 = wasm_i16x8_make(0, -1, 32767, -32768, 1000, -1000, 12345, (int16_t)(k * 1000));
	v128_t j16 = wasm_i16x8_make(32767, -32768, 1, -1, 30000, -30000, -12345, 99);
	v128_t i32 = wasm_i32x4_make(0, -1, INT32_MAX, INT32_MIN + k);
	v128_t j32 = wasm_i32x4_make(INT32_MIN, 2, -3, k);
	v128_t i64 = wasm_i64x2_make(INT64_MIN + k, -5);
	v128_t j64 = wasm_i64x2_make(3, INT64_MAX);
	v128_t f = wasm_f32x4_make(1.5f, -0.0f, NAN, -INFINITY);
	v128_t g = wasm_f32x4_make(-2.25f, 0.0f, 3.0f, (float)k);
	v128_t dd = wasm_f64x2_make(2.5, -3.5);
	v128_t ee = wasm_f64x2_make(-0.0, 1e300);

	bytes("i8 add", wasm_i8x16_add(i8, j8));
	bytes("i8 add_sat_s", wasm_i8x16_add_sat(i8, j8));
	bytes("u8 add_sat", wasm_u8x16_add_sat(i8, j8));
	bytes("i8 sub_sat_s", wasm_i8x16_sub_sat(i8, j8));
	bytes("u8 avgr", wasm_u8x16_avgr(i8, j8));
	bytes("i8 min_s", wasm_i8x16_min(i8, j8));
	bytes("u8 max", wasm_u8x16_max(i8, j8));
	bytes("i8 abs", wasm_i8x16_abs(i8));
	bytes("i8 popcnt", wasm_i8x16_popcnt(i8));
	bytes("i8 shl", wasm_i8x16_shl(i8, k));
	bytes("i8 shr_s", wasm_i8x16_shr(i8, k - 4));
	bytes("u8 shr", wasm_u8x16_shr(i8, k + 8));
	bytes("i8 eq", wasm_i8x16_eq(i8, j8));
	bytes("i8 gt_s", wasm_i8x16_gt(i8, j8));
	bytes("u8 ge", wasm_u8x16_ge(i8, j8));
	printf("i8 bitmask     %04x any %d all %d\n", wasm_i8x16_bitmask(i8), wasm_v128_any_true(i8), wasm_i8x16_all_true(i8));
	bytes("swizzle", wasm_i8x16_swizzle(i8, wasm_i8x16_make(15, 0, 16, 3, -1, 7, 8, (int8_t)200, 1, 2, 3, 4, 31, 30, 5, 6)));
	bytes("shuffle", wasm_i8x16_shuffle(i8, j8, 0, 17, 2, 19, 4, 21, 6, 23, 31, 30, 29, 28, 3, 3, 16, 15));
	bytes("narrow i16 s", wasm_i8x16_narrow_i16x8(i16, j16));
	bytes("narrow i16 u", wasm_u8x16_narrow_i16x8(i16, j16));

	bytes("i16 mul", wasm_i16x8_mul(i16, j16));
	bytes("i16 q15mulr", wasm_i16x8_q15mulr_sat(i16, j16));
	bytes("i16 extmul lo", wasm_i16x8_extmul_low_i8x16(i8, j8));
	bytes("u16 extmul hi", wasm_u16x8_extmul_high_u8x16(i8, j8));
	bytes("i16 extadd", wasm_i16x8_extadd_pairwise_i8x16(i8));
	bytes("u16 extend hi", wasm_u16x8_extend_high_u8x16(i8));
	bytes("i16 shr_s", wasm_i16x8_shr(i16, 17));
	printf("i16 bitmask    %04x all %d\n", wasm_i16x8_bitmask(i16), wasm_i16x8_all_true(j16));

	bytes("i32 mul", wasm_i32x4_mul(i32, j32));
	bytes("i32 dot", wasm_i32x4_dot_i16x8(i16, j16));
	bytes("u32 min", wasm_u32x4_min(i32, j32));
	bytes("i32 max", wasm_i32x4_max(i32, j32));
	bytes("u32 lt", wasm_u32x4_lt(i32, j32));
	bytes("i32 extend lo", wasm_i32x4_extend_low_i16x8(i16));
	bytes("i32 shr_u", wasm_u32x4_shr(i32, 33));
	bytes("i32 replace", wasm_i32x4_replace_lane(i32, 2, k * 11));
	printf("i32 extract    %d %d\n", wasm_i32x4_extract_lane(i32, 3), (int)wasm_i16x8_extract_lane(i16, 7));

	bytes("i64 mul", wasm_i64x2_mul(i64, j64));
	bytes("i64 add", wasm_i64x2_add(i64, j64));
	bytes("i64 gt_s", wasm_i64x2_gt(i64, j64));
	bytes("i64 ne", wasm_i64x2_ne(i64, j64));
	bytes("i64 abs", wasm_i64x2_abs(i64));
	bytes("i64 shr_s", wasm_i64x2_shr(i64, 65));
	bytes("i64 extmul hi", wasm_i64x2_extmul_high_i32x4(i32, j32));
	printf("i64 bitmask    %x\n", wasm_i64x2_bitmask(i64));

	bytes("f32 add", f32(wasm_f32x4_add(f, g)));
	bytes("f32 mul", f32(wasm_f32x4_mul(f, g)));
	bytes("f32 div", f32(wasm_f32x4_div(g, f)));
	bytes("f32 min", f32(wasm_f32x4_min(f, g)));
	bytes("f32 max", f32(wasm_f32x4_max(f, g)));
	bytes("f32 pmin", f32(wasm_f32x4_pmin(f, g)));
	bytes("f32 pmax", f32(wasm_f32x4_pmax(f, g)));
	bytes("f32 sqrt", f32(wasm_f32x4_sqrt(g)));
	bytes("f32 nearest", f32(wasm_f32x4_nearest(wasm_f32x4_make(2.5f, -2.5f, 3.5f, -0.4f))));
	bytes("f32 floor", f32(wasm_f32x4_floor(f)));
	bytes("f32 lt", wasm_f32x4_lt(f, g));
	bytes("f32 ne", wasm_f32x4_ne(f, g));
	bytes("f32 neg abs", f32(wasm_f32x4_abs(wasm_f32x4_neg(f))));
	bytes("trunc_sat s", wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_make(3e9f, -3e9f, NAN, -1.5f)));
	bytes("trunc_sat u", wasm_u32x4_trunc_sat_f32x4(wasm_f32x4_make(5e9f, -1.0f, NAN, 4e9f)));
	bytes("convert u", f32(wasm_f32x4_convert_u32x4(wasm_i32x4_make(-1, 1, INT32_MIN, 16777217))));
	bytes("f64 add", f64(wasm_f64x2_add(dd, ee)));
	bytes("f64 min", f64(wasm_f64x2_min(dd, ee)));
	bytes("f64 max", f64(wasm_f64x2_max(ee, dd)));
	bytes("f64 ceil", f64(wasm_f64x2_ceil(dd)));
	bytes("demote", f32(wasm_f32x4_demote_f64x2_zero(ee)));
	bytes("promote", f64(wasm_f64x2_promote_low_f32x4(f)));
	bytes("f64 trunc_sat", wasm_i32x4_trunc_sat_f64x2_zero(wasm_f64x2_make(-3e10, 7.9)));
	bytes("f64 convert", f64(wasm_f64x2_convert_low_u32x4(i32)));

	uint8_t mem[32];
	for (int i = 0; i < 32; i++) mem[i] = (uint8_t)(i * 17 + k);
	bytes("load8_splat", wasm_v128_load8_splat(mem + 3));
	bytes("load16x4 s", wasm_i32x4_load16x4(mem + 5));
	bytes("load32_zero", wasm_v128_load32_zero(mem + 9));
	bytes("load64_lane", wasm_v128_load64_lane(mem + 11, i8, 1));
	wasm_v128_store16_lane(mem + 1, j16, 5);
	wasm_v128_store(mem + 16, wasm_v128_bitselect(i8, j8, wasm_i8x16_splat((int8_t)0xf0)));
	bytes("stored", wasm_v128_load(mem + 1));
	bytes("stored hi", wasm_v128_load(mem + 16));
	return 0;
}
