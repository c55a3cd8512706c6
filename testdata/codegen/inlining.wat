;; Inlining (DESIGN.md, "Where speed comes from": small functions inlined; driver/inline.go):
;; at -O2 a call to a small function, or to a function called from that one site only,
;; is replaced by the callee's body before the scalar passes run, so the call, its
;; argument moves and its spills are gone and the body folds with the caller's code. A
;; large function called from several sites stays a call.
(module
  (memory (export "memory") 1)

  ;; $square is small: no call is left, and its multiply is in the caller.
  ;; amd64: -`^call \$` `^imul `
  ;; arm64: -`^bl \$` `^mul `
  (func $sum_squares (export "sum_squares") (param $a i32) (param $b i32) (result i32)
    (i32.add (call $square (local.get $a)) (call $square (local.get $b))))

  (func $square (param $x i32) (result i32)
    (i32.mul (local.get $x) (local.get $x)))

  ;; $scale is inlined with a constant argument, which then folds: the multiply by 8
  ;; becomes a shift, and no call is left.
  ;; amd64: -`^call \$` `^shl e\w+, 0x3$` -`^imul `
  ;; arm64: -`^bl \$` `^lsl w\d+, w\d+, #3$` -`^mul `
  (func $scale_by_8 (export "scale_by_8") (param $x i32) (result i32)
    (call $scale (local.get $x) (i32.const 8)))

  (func $scale (param $x i32) (param $k i32) (result i32)
    (i32.mul (local.get $x) (local.get $k)))

  ;; $norm is small and calls $leaf, which calls nothing and is tiny: the copy of $norm
  ;; spliced into the caller comes with $leaf already inlined, so neither call is left
  ;; (before, a call inside an inlined body always stayed, and the runtime's routines
  ;; called their one-instruction intrinsics from wherever they were inlined).
  ;; amd64: -`^call \$`
  ;; arm64: -`^bl \$`
  (func $norm_twice (export "norm_twice") (param $x i32) (result i32)
    (i32.add (call $norm (local.get $x)) (call $norm (i32.const 7))))

  (func $norm (param $x i32) (result i32)
    (i32.xor (call $leaf (local.get $x)) (call $leaf (i32.shl (local.get $x) (i32.const 3)))))

  (func $leaf (param $x i32) (result i32)
    (i32.and (local.get $x) (i32.const 0xff)))

  ;; $mix is over the small size and called from two sites: both calls stay.
  ;; amd64: `^call \$mix$`
  ;; arm64: `^bl \$mix$`
  (func $mix_twice (export "mix_twice") (param $x i32) (result i32)
    (call $mix (call $mix (local.get $x))))

  (func $mix (param $x i32) (result i32)
    (local $i i32)
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 16))))
    (local.set $x (i32.mul (local.get $x) (i32.const 0x7feb352d)))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 15))))
    (local.set $x (i32.mul (local.get $x) (i32.const 0x846ca68b)))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 16))))
    (i32.store (i32.const 0) (local.get $x))
    (i32.store (i32.const 4) (i32.add (i32.load (i32.const 4)) (i32.const 1)))
    (i32.store (i32.const 8) (i32.add (i32.load (i32.const 8)) (local.get $x)))
    (i32.store (i32.const 12) (i32.xor (i32.load (i32.const 12)) (local.get $x)))
    (i32.store (i32.const 16) (i32.or (i32.load (i32.const 16)) (local.get $x)))
    (i32.store (i32.const 20) (i32.and (i32.load (i32.const 20)) (local.get $x)))
    (local.get $x))
)
