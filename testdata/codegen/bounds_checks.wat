;; Explicit bounds checks at -O2 after BCE (ir/pass_bce.go): the checks a loop keeps per
;; iteration when the executable is built with --bounds-checks=explicit (guard_pages.wat
;; shows the default). Each is (amd64/emit.go, boundsCheck):
;;   lea r11, [addr+end]; cmp r11, qword ptr [wasmc.memories+8]; ja trap
;; memory 0's descriptor is wasmc.memories with its size at +8, so a compare against that
;; word is one bounds check (a constant end compares the word itself with an immediate).
;; Each function is only its loop and what sets it up, so a count is a count per loop.
;; bounds-checks: explicit
(module
  (memory (export "memory") 1)

  ;; a[i] += 1: the store's check has the same address value as the load's, which
  ;; dominates it, so one check covers both.
  ;; amd64: 1 `^cmp .*\[wasmc\.memories\+8\]`
  ;; arm64: 1 `<wasmc\.memories\+8>`
  (func $incr_each (export "incr_each") (param $p i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (loop $next
        (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br_if $next (i32.lt_u (local.get $p) (local.get $end))))))

  ;; p[1] * p[0]: the check for offset 4 reaches 8 bytes past p, so the later check for
  ;; offset 0 on the same address value is dominated by a larger one.
  ;; amd64: 1 `^cmp .*\[wasmc\.memories\+8\]`
  ;; arm64: 1 `<wasmc\.memories\+8>`
  (func $dot_pairs (export "dot_pairs") (param $p i32) (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc)
          (i32.mul (i32.load offset=4 (local.get $p)) (i32.load (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  ;; A field read through an i32.add of a constant (p+4) after a check on p that reaches
  ;; past it (offset 8, 12 bytes): BCE's base+constant rule drops the second check.
  ;; amd64: 1 `^cmp .*\[wasmc\.memories\+8\]`
  ;; arm64: 1 `<wasmc\.memories\+8>`
  (func $sum_fields (export "sum_fields") (param $p i32) (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc)
          (i32.sub (i32.load offset=8 (local.get $p))
                   (i32.load (i32.add (local.get $p) (i32.const 4))))))
        (local.set $p (i32.add (local.get $p) (i32.const 12)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  ;; A scale factor read from a constant address inside the loop: the address is within
  ;; the declared minimum size (one page), which every instance's memory has, so only the
  ;; indexed load is checked.
  ;; amd64: 1 `^cmp .*\[wasmc\.memories\+8\]`
  ;; arm64: 1 `<wasmc\.memories\+8>`
  (func $scaled_sum (export "scaled_sum") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc)
          (i32.mul (i32.load (i32.const 16))
                   (i32.load offset=1024 (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  ;; Only constant addresses within the minimum size: no check at all.
  ;; amd64: -`\[wasmc\.memories\+8\]`
  ;; arm64: -`<wasmc\.memories\+8>`
  (func $read_header (export "read_header") (result i32)
    (i32.add (i32.load (i32.const 0)) (i32.load offset=4 (i32.const 8))))
)
