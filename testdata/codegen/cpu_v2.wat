;; Scalar code at the default --cpu, x86-64-v2 (amd64/lower_int.go): what cpu_v3.wat's
;; functions are without BMI1, BMI2 and LZCNT. clz and ctz are bsr and bsf with a cmov for
;; zero, never lzcnt and tzcnt, which a CPU without them runs as bsr and bsf with other
;; answers; shifts by a variable take their count in cl.
(module
  ;; amd64: `^bsr e\w+, e\w+$` `^cmove e\w+, e\w+$` -"^lzcnt"
  (func $clz32 (export "clz32") (param i32) (result i32)
    (i32.clz (local.get 0)))
  ;; amd64: `^bsr r\w+, r\w+$` `^cmove r\w+, r\w+$` -"^lzcnt"
  (func $clz64 (export "clz64") (param i64) (result i64)
    (i64.clz (local.get 0)))
  ;; amd64: `^bsf e\w+, e\w+$` `^cmove e\w+, e\w+$` -"^tzcnt"
  (func $ctz32 (export "ctz32") (param i32) (result i32)
    (i32.ctz (local.get 0)))
  ;; amd64: `^bsf r\w+, r\w+$` `^cmove r\w+, r\w+$` -"^tzcnt"
  (func $ctz64 (export "ctz64") (param i64) (result i64)
    (i64.ctz (local.get 0)))

  ;; amd64: `^shl e\w+, cl$` -"^shlx"
  (func $shl32 (export "shl32") (param i32 i32) (result i32)
    (i32.shl (local.get 0) (local.get 1)))
  ;; amd64: `^shr r\w+, cl$` -"^shrx"
  (func $shr64 (export "shr64") (param i64 i64) (result i64)
    (i64.shr_u (local.get 0) (local.get 1)))
  ;; amd64: `^sar e\w+, cl$` -"^sarx"
  (func $sar32 (export "sar32") (param i32 i32) (result i32)
    (i32.shr_s (local.get 0) (local.get 1)))

  ;; amd64: `^rol e\w+, 0x5$` -"^rorx"
  (func $rotl32 (export "rotl32") (param i32) (result i32)
    (i32.rotl (local.get 0) (i32.const 5)))
  ;; amd64: `^rol r\w+, 0x5$` -"^rorx"
  (func $rotl64 (export "rotl64") (param i64) (result i64)
    (i64.rotl (local.get 0) (i64.const 5)))
  ;; amd64: `^ror e\w+, 0x7$` -"^rorx"
  (func $rotr32 (export "rotr32") (param i32) (result i32)
    (i32.rotr (local.get 0) (i32.const 7)))

  ;; amd64: -"^andn"
  (func $andn32 (export "andn32") (param i32 i32) (result i32)
    (i32.and (local.get 0) (i32.xor (local.get 1) (i32.const -1))))

  ;; amd64: `^popcnt e\w+, e\w+$`
  (func $popcnt32 (export "popcnt32") (param i32) (result i32)
    (i32.popcnt (local.get 0))))
