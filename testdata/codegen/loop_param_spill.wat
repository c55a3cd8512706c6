;; A loop header's block parameter that lives in a spill slot is written to the slot on the
;; edges into the header, not at the header (regalloc/resolve.go): the shape of Go's
;; resume-point loops (a br_table dispatch at the head, strconv.appendQuotedWith), where most
;; passes go back to the head with the value unchanged. $e is live across the calls, so on
;; amd64 it is spilled; the cases that pass it unchanged ($c0 and $c1) only reload it, and
;; the one that changes it ($c2) stores the new value on its edge. Before, the store was the
;; first instruction of the head and ran on every pass: the two stores here were one at the
;; head. The other store is $n's, at its definition. arm64 has enough callee-saved
;; registers for all of it and spills only $n, before the loop.
(module
  (memory (export "memory") 1)
  ;; amd64: -head `^mov qword ptr \[rbp-0x[0-9a-f]+\], ` 3 `^mov qword ptr \[rbp-0x[0-9a-f]+\], `
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
