;; Vector code on amd64 (issue 17, amd64/lower_vec.go): SSE up to SSE4.2, the x86-64-v2
;; baseline, never AVX; v128 values in XMM registers. On arm64 (arm64/lower_vec.go):
;; Advanced SIMD of Armv8.0-A, v128 values in V registers. Every vector access, whole or
;; of one lane, is one instruction through the memory base register that guard pages
;; check (backend/guard.go), like a scalar one: no compare with the memory's size.
(module
  (memory (export "memory") 1)

  ;; A lane-wise op on two parameters is one instruction, xmm0 += xmm1: no move, no AVX.
  ;; amd64: `^paddd xmm0, xmm1$` -`^v` -`^movaps `
  ;; arm64: `^add v0.4s, v0.4s, v1.4s$` -`^mov v`
  (func $vadd (export "vadd") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))

  ;; A whole v128 loads and stores with movups, which needs no alignment.
  ;; amd64: `^movups xmm\d+, xmmword ptr \[r15\+r\w+\+0x10\]$` `^movups xmmword ptr \[r15\+r\w+\], xmm\d+$` -`\[wasmc\.memories`
  ;; arm64: `^ldr q\d+, \[x17, #16\]$` `^str q\d+, \[x28, w\d+, uxtw\]$` -`wasmc\.memories`
  (func $copy (export "copy") (param $p i32)
    (v128.store (local.get $p) (v128.load offset=16 (local.get $p))))

  ;; Loads and stores of part of a v128 are one instruction each, unchecked too.
  ;; amd64: `^pinsrb xmm\d+, byte ptr \[r15\+r\w+\+0x3\], 0x5$` `^pmovsxbw xmm\d+, qword ptr \[r15\+r\w+\+0x8\]$`
  ;; amd64: `^movd xmm\d+, dword ptr \[r15\+r\w+\+0x20\]$` `^pextrq qword ptr \[r15\+r\w+\+0x30\], xmm\d+, 0x1$`
  ;; amd64: -`\[wasmc\.memories`
  ;; arm64: `^ldr b\d+, \[x17, #3\]$` `^ldr d\d+, \[x17, #8\]$` `^ldr s\d+, \[x17, #32\]$` `^str d\d+, \[x17, #48\]$`
  ;; arm64: -`wasmc\.memories`
  (func $lanes (export "lanes") (param $p i32) (param $v v128) (result v128)
    (v128.store64_lane offset=48 1 (local.get $p)
      (i16x8.add (v128.load8_lane offset=3 5 (local.get $p) (local.get $v))
        (v128.load8x8_s offset=8 (local.get $p))))
    (v128.load32_zero offset=32 (local.get $p)))

  ;; An offset past the guard region keeps its explicit check, as a scalar access does.
  ;; amd64: 1 `^cmp .*\[wasmc\.memories\+8\]`
  ;; arm64: 1 `<wasmc\.memories\+8>`
  (func $far (export "far") (param $p i32) (result v128)
    (v128.load offset=2147483645 (local.get $p))))
