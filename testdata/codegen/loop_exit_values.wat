;; A loop that steps an index and an address before its exit test, as clang's rotated
;; loops do (a partition's while (a[j] > p) j--), and whose code after the loop reads the
;; old index and address. ir.ExitValues reads them there as the new values minus the step,
;; so the old ones die at the steps; the new ones take the old ones' registers (regalloc's
;; paramHint), the back edge moves nothing, and the loop ends in its conditional branch.
;; Before, both old and new were live to the exit, in four registers, and the back edge
;; moved the new into the old on every pass, through a jmp: 8 instructions a pass, now 5.
;; $fields is nbody's inner loop in small: the next pointer q = p + 56 is computed early
;; (it is also the first field's address) and later fields are read at p + 72 and p + 80;
;; those become q + 16 and q + 24, so p dies at q, q takes p's register and the back edge
;; moves nothing. Before, it moved q into p's register and jumped back.
(module
  (memory (export "memory") 1)
  ;; amd64: -`^jmp ` -`^mov e\w+, e\w+$`
  ;; arm64: -`^b ` -`^mov w\d+, w\d+$`
  (func $scan (export "scan") (param $addr i32) (param $j i32) (param $p i32) (result i32)
    (local $v i32) (local $jn i32) (local $an i32)
    (loop $l
      (local.set $v (i32.load (local.get $addr)))
      (local.set $jn (i32.sub (local.get $j) (i32.const 1)))
      (local.set $an (i32.sub (local.get $addr) (i32.const 4)))
      (if (i32.gt_u (local.get $v) (local.get $p))
        (then (local.set $j (local.get $jn)) (local.set $addr (local.get $an)) (br $l))))
    (i32.store (local.get $addr) (local.get $p))
    (i32.add (local.get $j) (local.get $addr)))

  ;; amd64: -`^jmp ` -`^mov e\w+, e\w+$`
  ;; arm64: -`^b ` -`^mov w\d+, w\d+$`
  (func $fields (export "fields") (param $p i32) (param $n i32) (result f64)
    (local $q i32) (local $s f64)
    (loop $l
      (local.set $q (i32.add (local.get $p) (i32.const 56)))
      (local.set $s (f64.add (local.get $s) (f64.load (local.get $q))))
      (local.set $s (f64.add (local.get $s) (f64.load (i32.add (local.get $p) (i32.const 72)))))
      (local.set $s (f64.add (local.get $s) (f64.load (i32.add (local.get $p) (i32.const 80)))))
      (local.set $p (local.get $q))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s)))
