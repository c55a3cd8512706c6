;; The SLP pass (ir/pass_slp.go) packs the two copies of dst[j] += a*src[j] that clang's
;; unroll by two leaves into one f64x2 multiply and add, with 16-byte loads and a
;; 16-byte store, in a second copy of the loop that the preheader enters when the trip
;; count is exact, no access is out of bounds and dst and src do not overlap by less
;; than a vector. The scalar loop stays for the other cases, so each target has one
;; vector and two scalar multiplies. Half a vector (two f32 lanes) packs too: $g's loop
;; becomes 8-byte vector loads and stores around one mulps.
(module (memory (export "memory") 1)
  ;; amd64: 1 `^mulpd xmm` 1 `^addpd xmm` 2 `^mulsd xmm` 1 `^movups xmmword ptr \[r15\+`
  ;; arm64: 1 `^fmul v\d+\.2d` 1 `^fadd v\d+\.2d` 2 `^fmul d\d+`
  (func $f (export "f") (param $dst i32) (param $src i32) (param $a f64)
    (local $j i32) (local $p i32) (local $q i32)
    (loop $next
      (local.set $p (i32.add (local.get $dst) (local.get $j)))
      (local.set $q (i32.add (local.get $src) (local.get $j)))
      (f64.store (local.get $p) (f64.add (f64.mul (local.get $a) (f64.load (local.get $q))) (f64.load (local.get $p))))
      (f64.store offset=8 (local.get $p) (f64.add (f64.mul (local.get $a) (f64.load offset=8 (local.get $q))) (f64.load offset=8 (local.get $p))))
      (br_if $next (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 16))) (i32.const 4096)))))
  ;; amd64: 1 `^mulps xmm` 2 `^mulss xmm` 1 `^movq qword ptr \[r15\+`
  ;; arm64: 1 `^fmul v\d+\.4s` 2 `^fmul s\d+`
  (func $g (export "g") (param $dst i32) (param $src i32) (param $a f32)
    (local $j i32)
    (loop $next
      (f32.store (i32.add (local.get $dst) (local.get $j)) (f32.mul (local.get $a) (f32.load (i32.add (local.get $src) (local.get $j)))))
      (f32.store offset=4 (i32.add (local.get $dst) (local.get $j)) (f32.mul (local.get $a) (f32.load offset=4 (i32.add (local.get $src) (local.get $j)))))
      (br_if $next (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 8))) (i32.const 4096))))))
