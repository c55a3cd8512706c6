// WebAssembly SIMD from Rust: core::arch::wasm32's intrinsics, and iterator loops that
// LLVM vectorizes with target-feature=+simd128. One line per result; the golden is what
// Wasmtime prints (build.sh). NaN lanes print canonicalized: WebAssembly leaves a NaN's
// sign open (x86 gives -NaN, Arm +NaN).
use core::arch::wasm32::*;

fn show(name: &str, v: v128) {
    let mut b = [0u8; 16];
    unsafe { v128_store(b.as_mut_ptr() as *mut v128, v) };
    print!("{:<14}", name);
    for x in b {
        print!(" {:02x}", x);
    }
    println!();
}

fn f32s(v: v128) -> v128 {
    v128_bitselect(i32x4_splat(0x7fc00000), v, f32x4_ne(v, v))
}

fn main() {
    // The number of arguments (the fixture gives several): not a constant, so nothing folds.
    let k: i32 = 4 + std::env::args().count() as i32;
    let a = i32x4(1, -2, i32::MAX, i32::MIN + k);
    let b = i32x4(k, 3, 1, -1);
    show("i32 add", i32x4_add(a, b));
    show("i32 mul", i32x4_mul(a, b));
    show("i32 min_s", i32x4_min(a, b));
    show("u32 max", u32x4_max(a, b));
    show("i32 shl", i32x4_shl(a, k as u32));
    show("i32 gt_s", i32x4_gt(a, b));
    let c = i8x16(0, 1, -1, 127, -128, 5, 100, -100, 42, -42, 64, -64, 3, 9, 27, k as i8);
    let d = u8x16_splat(200);
    show("u8 add_sat", u8x16_add_sat(c, d));
    show("i8 sub_sat", i8x16_sub_sat(c, d));
    show("u8 avgr", u8x16_avgr(c, d));
    show("i8 popcnt", i8x16_popcnt(c));
    show("swizzle", i8x16_swizzle(c, i8x16(15, 14, 13, 12, 16, 40, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8)));
    show("shuffle", i8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 28, 29, 30, 31, 12, 13, 14, 15>(c, d));
    println!("bitmask        {:04x} {}", i8x16_bitmask(c), i8x16_all_true(c) as u8);
    let s = i16x8(1000, -1000, 32767, -32768, 7, k as i16, 12345, -12345);
    show("i16 q15mulr", i16x8_q15mulr_sat(s, i16x8_splat(-32768)));
    show("i32 dot", i32x4_dot_i16x8(s, s));
    show("i8 narrow", i8x16_narrow_i16x8(s, s));
    show("i64 extmul", i64x2_extmul_low_i32x4(a, b));
    let f = f32x4(1.5, -0.0, f32::NAN, f32::NEG_INFINITY);
    let g = f32x4(-2.25, 0.0, 3.0, k as f32);
    show("f32 add", f32s(f32x4_add(f, g)));
    show("f32 min", f32s(f32x4_min(f, g)));
    show("f32 max", f32s(f32x4_max(f, g)));
    show("f32 nearest", f32s(f32x4_nearest(f32x4(2.5, -2.5, 3.5, -0.4))));
    show("trunc_sat", i32x4_trunc_sat_f32x4(f32x4(3e9, -3e9, f32::NAN, -1.5)));
    show("f64 sqrt", f64x2_sqrt(f64x2(2.0, k as f64)));

    // Loops LLVM vectorizes.
    let n = 1003;
    let xs: Vec<i32> = (0..n).map(|i| (i * 2654435761u32 as i32) ^ k).collect();
    let ys: Vec<i32> = (0..n).map(|i| i * 40503 - 5000).collect();
    let sum: i64 = xs.iter().zip(&ys).map(|(&x, &y)| (x.wrapping_mul(3).wrapping_add(y)) as i64).sum();
    println!("loop sum       {}", sum);
    let mx = xs.iter().zip(&ys).map(|(&x, &y)| x.min(y)).fold(0i32, |h, v| h.wrapping_mul(31).wrapping_add(v));
    println!("loop min       {}", mx);
    let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + k) as u8).collect();
    let sat: u32 = bytes.iter().map(|&b| b.saturating_add(100) as u32).sum();
    println!("loop sat       {}", sat);
    let fl: Vec<f32> = (0..n).map(|i| i as f32 * 0.5 - 100.0).collect();
    let fs: f32 = fl.iter().map(|&x| x * 1.25 + 2.0).map(f32::abs).fold(0.0, |a, b| a + b);
    println!("loop float     {:.3}", fs);
}
