;; Scalar code at --cpu x86-64-v3 (amd64/lower_int.go, lower_andn.go): the level's BMI1, BMI2 and LZCNT
;; instructions replace longer x86-64-v2 sequences (cpu_v2.wat has the same functions at
;; the default level). The executable checks the level at start-up (amd64/runtime_cpu.go),
;; so these never run as bsr and bsf on an older CPU.
;; cpu: x86-64-v3
(module
  ;; lzcnt and tzcnt answer the width for zero themselves: no bsr/bsf, no cmov.
  ;; amd64: `^lzcnt e\w+, e\w+$` -"^bsr" -"^cmov"
  (func $clz32 (export "clz32") (param i32) (result i32)
    (i32.clz (local.get 0)))
  ;; amd64: `^lzcnt r\w+, r\w+$` -"^bsr" -"^cmov"
  (func $clz64 (export "clz64") (param i64) (result i64)
    (i64.clz (local.get 0)))
  ;; amd64: `^tzcnt e\w+, e\w+$` -"^bsf" -"^cmov"
  (func $ctz32 (export "ctz32") (param i32) (result i32)
    (i32.ctz (local.get 0)))
  ;; amd64: `^tzcnt r\w+, r\w+$` -"^bsf" -"^cmov"
  (func $ctz64 (export "ctz64") (param i64) (result i64)
    (i64.ctz (local.get 0)))

  ;; A shift by a variable is three-operand and needs no count in cl.
  ;; amd64: `^shlx e\w+, e\w+, e\w+$` -", cl$"
  (func $shl32 (export "shl32") (param i32 i32) (result i32)
    (i32.shl (local.get 0) (local.get 1)))
  ;; amd64: `^shrx r\w+, r\w+, r\w+$` -", cl$"
  (func $shr64 (export "shr64") (param i64 i64) (result i64)
    (i64.shr_u (local.get 0) (local.get 1)))
  ;; amd64: `^sarx e\w+, e\w+, e\w+$` -", cl$"
  (func $sar32 (export "sar32") (param i32 i32) (result i32)
    (i32.shr_s (local.get 0) (local.get 1)))

  ;; A rotate by a constant is rorx: a left rotate by 5 is a right one by 27 (59 at i64).
  ;; amd64: `^rorx e\w+, e\w+, 0x1b$` -"^rol"
  (func $rotl32 (export "rotl32") (param i32) (result i32)
    (i32.rotl (local.get 0) (i32.const 5)))
  ;; amd64: `^rorx r\w+, r\w+, 0x3b$` -"^rol"
  (func $rotl64 (export "rotl64") (param i64) (result i64)
    (i64.rotl (local.get 0) (i64.const 5)))
  ;; amd64: `^rorx e\w+, e\w+, 0x7$` -"^ror "
  (func $rotr32 (export "rotr32") (param i32) (result i32)
    (i32.rotr (local.get 0) (i32.const 7)))

  ;; a & ~b: wasm's not is an xor with -1, which andn takes in (no not, no copy).
  ;; amd64: `^andn e\w+, e\w+, e\w+$` -"^not" -`^xor e\w+, 0xffffffff$`
  (func $andn32 (export "andn32") (param i32 i32) (result i32)
    (i32.and (local.get 0) (i32.xor (local.get 1) (i32.const -1))))
  ;; amd64: `^andn r\w+, r\w+, r\w+$` -"^not" -`^xor r\w+, `
  (func $andn64 (export "andn64") (param i64 i64) (result i64)
    (i64.and (i64.xor (i64.const -1) (local.get 1)) (local.get 0)))
  ;; A not used twice is computed once; the and stays an and.
  ;; amd64: -"^andn"
  (func $notused (export "notused") (param i32 i32) (result i32)
    (local $n i32)
    (local.set $n (i32.xor (local.get 1) (i32.const -1)))
    (i32.add (local.get $n) (i32.and (local.get 0) (local.get $n))))

  ;; popcnt is x86-64-v2 already.
  ;; amd64: `^popcnt e\w+, e\w+$`
  (func $popcnt32 (export "popcnt32") (param i32) (result i32)
    (i32.popcnt (local.get 0))))
