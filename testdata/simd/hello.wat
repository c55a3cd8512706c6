;; A vector program for TestBuildSIMDRuns: "Hello, SIMD!\n" is in memory reversed and
;; each byte one too high; _start loads it, subtracts a splat of 1, reverses it with a
;; shuffle, checks the result with a compare, all_true and bitmask, and writes it to
;; stdout.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory 1)
  (data (i32.const 32) "\01\01\01\0b\22\45\4e\4a\54\21\2d\70\6d\6d\66\49")
  (func $decode (param $p i32) (result v128)
    (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0
      (i8x16.sub (v128.load (local.get $p)) (i8x16.splat (i32.const 1)))
      (v128.const i64x2 0 0)))
  (func (export "_start") (local $v v128)
    (local.set $v (call $decode (i32.const 32)))
    ;; the three zero bytes at the end, and only they, are zero
    (if (i32.ne (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i64x2 0 0))) (i32.const 0xe000))
      (then (call $exit (i32.const 2))))
    (if (i32.eqz (i32x4.all_true (i32x4.add (local.get $v) (v128.const i32x4 0 0 0 1))))
      (then (call $exit (i32.const 3))))
    (v128.store (i32.const 16) (local.get $v))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 13))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
