;; Register allocation in counted loops: every value live around the loop stays in a
;; register, so the loop body neither stores to nor loads from the stack frame. These
;; functions make no calls and keep no frame slots, so any memory operand based on rsp
;; or rbp would be a spill or reload, and the check may cover the whole function. The
;; pattern needs "ptr [", which only a load, store or folded operand has: the epilogue's
;; lea rsp, [rbp-N] and push/pop of callee-saved registers are not spills.
(module
  (memory (export "memory") 1)

  ;; A checksum over bytes (Adler-32's loop): pointer, end, two sums and the memory base.
  ;; amd64: -`ptr \[r[sb]p`
  ;; arm64: -`^(ldr|str) .*\[(sp|x29)[,\]]`
  (func $checksum (export "checksum") (param $p i32) (param $n i32) (result i32)
    (local $a i32) (local $b i32) (local $end i32)
    (local.set $a (i32.const 1))
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $a (i32.add (local.get $a) (i32.load8_u (local.get $p))))
        (local.set $b (i32.add (local.get $b) (local.get $a)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (i32.or (i32.shl (i32.rem_u (local.get $b) (i32.const 65521)) (i32.const 16))
            (i32.rem_u (local.get $a) (i32.const 65521))))

  ;; Ten values live across the back edge, more than the caller-saved registers: the
  ;; allocator must use callee-saved ones (pushed once, in the prologue), not spill
  ;; inside the loop. The push check pins that premise: the case does run out of
  ;; caller-saved registers.
  ;; amd64: -`ptr \[r[sb]p` `^push r(bx|1[2-5])$`
  ;; arm64: -`^(ldr|str) .*\[(sp|x29)[,\]]`
  (func $mix (export "mix") (param $x i64) (param $n i64) (result i64)
    (local $i i64) (local $s0 i64) (local $s1 i64) (local $s2 i64) (local $s3 i64)
    (local $s4 i64) (local $s5 i64)
    (loop $next
      (local.set $s0 (i64.add (local.get $s0) (local.get $i)))
      (local.set $s1 (i64.xor (local.get $s1) (i64.mul (local.get $i) (local.get $x))))
      (local.set $s2 (i64.add (local.get $s2) (i64.shl (local.get $s0) (i64.const 3))))
      (local.set $s3 (i64.sub (local.get $s3) (local.get $s1)))
      (local.set $s4 (i64.or (local.get $s4) (i64.rotl (local.get $s2) (i64.const 7))))
      (local.set $s5 (i64.add (local.get $s5) (i64.and (local.get $s4) (local.get $s3))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br_if $next (i64.lt_u (local.get $i) (local.get $n))))
    (i64.add (i64.add (i64.add (local.get $s0) (local.get $s1))
                      (i64.add (local.get $s2) (local.get $s3)))
             (i64.add (local.get $s4) (local.get $s5))))
)
