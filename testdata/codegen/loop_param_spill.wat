;; Spilled values in a loop with a dispatch at its head (a br_table, as in Go's
;; resume-point loops: strconv.appendQuotedWith, unicode.is32), where most passes go back to
;; the head with the values unchanged. $d and $e are live across the calls and spilled on
;; amd64. A loop header's block parameter that lives in a slot is written to it on the edges
;; into the header, not at the header (regalloc/resolve.go), and a value not used before a
;; call stays in its slot there rather than in a register it would have to leave at the
;; call (regalloc/scan.go): the cases that pass $d and $e unchanged ($c0, $c1) neither store
;; nor reload them, and the one that changes both ($c2) stores the new values on its edge.
;; Before, the head stored $e on every pass and each case reloaded it (and $n) on its way
;; back. The 4 stores: $d and $e before the loop and on $c2's edge; the 7 loads: in $c1 and
;; $c2 for the calls and additions that read them, after the loop for the sum, and one on
;; $c2's way out: its edge passes the constant 3, so jump threading (ir.Thread) sends it
;; straight to the sum, which reloads $a there (3 loads on that path where the way through
;; the dispatch had 4), as it sends $c1's edge passing 0 straight to $c0. arm64 has enough
;; callee-saved registers for all of it and spills only $n, before the loop.
(module
  (memory (export "memory") 1)
  ;; amd64: -head `^mov qword ptr \[rbp-0x[0-9a-f]+\], ` 4 `^mov qword ptr \[rbp-0x[0-9a-f]+\], ` 7 `^mov \w+, qword ptr \[rbp-0x[0-9a-f]+\]$`
  ;; arm64: -head `^str .*\[(sp|x29)[,\]]`
  (func $dispatch (export "dispatch") (param $n i32) (param $p i32) (result i32)
    (local $state i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32)
    (local.set $a (i32.load offset=0 (local.get $p)))
    (local.set $b (i32.load offset=4 (local.get $p)))
    (local.set $c (i32.load offset=8 (local.get $p)))
    (local.set $d (i32.load offset=12 (local.get $p)))
    (local.set $e (i32.load offset=16 (local.get $p)))
    (loop $top
      (block $done
        (block $c2
          (block $c1
            (block $c0
              (br_table $c0 $c1 $c2 $done (local.get $state)))
            (local.set $state (call $g (local.get $n)))
            (br $top))
          (local.set $a (i32.add (local.get $a) (call $g (local.get $b))))
          (local.set $c (i32.add (local.get $c) (call $g (local.get $d))))
          (local.set $state (i32.const 0))
          (br $top))
        (local.set $b (i32.add (local.get $b) (call $g (local.get $a))))
        (local.set $d (i32.add (local.get $d) (call $g (local.get $e))))
        (local.set $e (i32.add (local.get $e) (call $g (local.get $c))))
        (local.set $state (i32.const 3))
        (br $top)))
    (i32.add (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (local.get $d))) (local.get $e)))

  ;; Recursive, so never inlined: the calls stay.
  (func $g (param $x i32) (result i32)
    (if (result i32) (i32.gt_u (local.get $x) (i32.const 100))
      (then (call $g (i32.shr_u (local.get $x) (i32.const 1))))
      (else (i32.load (local.get $x))))))
