;; nbody's inner loop in small: the fields at b + 256 and b + 264 are loaded and stored on
;; every pass, and c steps through memory, which clang cannot prove apart from b. ir.Promote
;; copies the loop; a check before it (c's span and the fields in memory, apart) picks
;; the copy that keeps both fields in registers: each is loaded once before it and stored
;; once after it. The original loop, for when the check fails, keeps its load and store of
;; each, so each field has four accesses in all; before, two (both in the loop).
(module
  (memory (export "memory") 1)
  ;; amd64: 2 `^movsd xmm\d+, qword ptr \[r15\+r\w+\+0x100\]` 2 `^movsd qword ptr \[r15\+r\w+\+0x100\], xmm\d+`
  ;; amd64: 2 `^movsd xmm\d+, qword ptr \[r15\+r\w+\+0x108\]` 2 `^movsd qword ptr \[r15\+r\w+\+0x108\], xmm\d+`
  ;; arm64: 2 `^ldr d\d+, \[x\d+, #256\]` 2 `^str d\d+, \[x\d+, #256\]`
  (func $kick (export "kick") (param $b i32) (param $c i32) (param $n i32)
    (local $d f64)
    (loop $l
      (local.set $d (f64.sub (f64.load (local.get $b)) (f64.load (local.get $c))))
      (f64.store offset=256 (local.get $b)
        (f64.sub (f64.load offset=256 (local.get $b)) (local.get $d)))
      (f64.store offset=264 (local.get $b)
        (f64.add (f64.load offset=264 (local.get $b)) (local.get $d)))
      (f64.store offset=8 (local.get $c)
        (f64.add (f64.load offset=8 (local.get $c)) (local.get $d)))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
