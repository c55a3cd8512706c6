;; Which values the allocator spills when a loop needs more registers than there are
;; (regalloc/scan.go, allocateBlocked and evict; regalloc/loopspan.go). The values the
;; loop reads are kept over the twelve it does not: a value read only as the left operand
;; of a two-address instruction (a, b, c in f64.sub; amd64 copies it into the destination
;; first, a copy that could read a spill slot) still costs a load there, so it counts as a
;; use when the allocator picks what to evict; a value the loop reads at its top and keeps
;; for the next pass (a, b: after their copies they have no use in layout order, yet the
;; back edge needs them) counts as used at the loop's end, before the twelve, whose next
;; use is after the loop; and a value evicted inside a loop it does not use leaves its
;; register at the loop's entry, not in the middle, so the back edge does not reload it.
;; Before the first, the accumulator and a, b, c were stored and reloaded inside the loop:
;; 5 stores and 5 loads; before the second, a and b were still reloaded on every back
;; edge (4 and 4, two of them in the loop). Now 4 and 4, all four of the twelve values,
;; stored once before the loop and loaded once after it; the loop loads nothing from the
;; frame, and the pointer and count take the registers of the header's parameters they are
;; passed back to (tryAllocateFree, paramHint), so the back edge moves nothing and the loop
;; ends in its conditional branch, with no jmp. arm64 has 32 float registers and
;; three-address instructions: nothing is spilled.
(module (memory (export "memory") 1)
  ;; amd64: 4 `^movsd qword ptr \[rbp-0x[0-9a-f]+\], xmm\d+$` 4 `^movsd xmm\d+, qword ptr \[rbp-0x[0-9a-f]+\]$` -head `ptr \[rbp-0x[0-9a-f]+\]` -`^jmp `
  ;; arm64: -`^(ldr|str) .*\[(sp|x29)[,\]]`
  (func $f (export "f") (param $a f64) (param $b f64) (param $c f64) (param $s f64) (param $p i32) (param $n i32) (result f64)
    (local $acc f64) (local $x f64) (local $e0 f64) (local $e1 f64) (local $e2 f64) (local $e3 f64) (local $e4 f64) (local $e5 f64) (local $e6 f64) (local $e7 f64) (local $e8 f64) (local $e9 f64) (local $e10 f64) (local $e11 f64)
    (local.set $e0 (f64.mul (local.get $s) (f64.const 2)))
    (local.set $e1 (f64.mul (local.get $s) (f64.const 3)))
    (local.set $e2 (f64.mul (local.get $s) (f64.const 4)))
    (local.set $e3 (f64.mul (local.get $s) (f64.const 5)))
    (local.set $e4 (f64.mul (local.get $s) (f64.const 6)))
    (local.set $e5 (f64.mul (local.get $s) (f64.const 7)))
    (local.set $e6 (f64.mul (local.get $s) (f64.const 8)))
    (local.set $e7 (f64.mul (local.get $s) (f64.const 9)))
    (local.set $e8 (f64.mul (local.get $s) (f64.const 10)))
    (local.set $e9 (f64.mul (local.get $s) (f64.const 11)))
    (local.set $e10 (f64.mul (local.get $s) (f64.const 12)))
    (local.set $e11 (f64.mul (local.get $s) (f64.const 13)))
    (loop $next
      (local.set $x (f64.load (local.get $p)))
      (local.set $acc (f64.add (local.get $acc)
        (f64.mul (f64.mul (f64.sub (local.get $a) (local.get $x)) (f64.sub (local.get $b) (local.get $x)))
                 (f64.sub (local.get $c) (local.get $x)))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (f64.add (f64.add (f64.add (f64.add (f64.add (f64.add (f64.add (f64.add (f64.add (f64.add (f64.add (f64.add (local.get $acc) (local.get $e0)) (local.get $e1)) (local.get $e2)) (local.get $e3)) (local.get $e4)) (local.get $e5)) (local.get $e6)) (local.get $e7)) (local.get $e8)) (local.get $e9)) (local.get $e10)) (local.get $e11))))
