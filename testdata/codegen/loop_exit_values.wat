;; A loop that steps an index and an address before its exit test, as clang's rotated
;; loops do (a partition's while (a[j] > p) j--), and whose code after the loop reads the
;; old index and address. ir.ExitValues reads them there as the new values minus the step,
;; so the old ones die at the steps; the new ones take the old ones' registers (regalloc's
;; paramHint), the back edge moves nothing, and the loop ends in its conditional branch.
;; Before, both old and new were live to the exit, in four registers, and the back edge
;; moved the new into the old on every pass, through a jmp: 8 instructions a pass, now 5.
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
    (i32.add (local.get $j) (local.get $addr))))
