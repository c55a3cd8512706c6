;; Load folding (amd64/testdata/isel/load_folding.txtar): a load whose only use is the
;; next instruction's second operand becomes that instruction's memory operand, so the
;; loaded value never takes a register. The negative checks say no plain mov reads the
;; wasm address (the base load from wasmc.memories has no index, so it does not match).
(module
  (memory (export "memory") 1)

  ;; x + load: add r, qword ptr [...].
  ;; amd64: `^add r\w+, qword ptr \[r\w+\+r\w+\+0x8\]$`
  ;; amd64: -`^mov r\w+, qword ptr \[r\w+\+r\w+`
  (func $add_loaded (export "add_loaded") (param $p i32) (param $x i64) (result i64)
    (i64.add (local.get $x) (i64.load offset=8 (local.get $p))))

  ;; x - load for f64: subsd xmm, qword ptr [...], no movsd into a register.
  ;; amd64: `^subsd xmm\d+, qword ptr \[r\w+\+r\w+\+0x10\]$` -`^movsd`
  (func $sub_loaded (export "sub_loaded") (param $p i32) (param $x f64) (result f64)
    (f64.sub (local.get $x) (f64.load offset=16 (local.get $p))))

  ;; x * load: the two-operand imul takes a memory operand too.
  ;; amd64: `^imul e\w+, dword ptr \[r\w+\+r\w+\]$`
  ;; amd64: -`^mov e\w+, dword ptr \[r\w+\+r\w+`
  (func $mul_loaded (export "mul_loaded") (param $p i32) (param $x i32) (result i32)
    (i32.mul (local.get $x) (i32.load (local.get $p))))

  ;; A loop body: acc += a[i] folds the load, address mode included ([base+index+1024]).
  ;; amd64: `^add e\w+, dword ptr \[r\w+\+r\w+\+0x400\]$`
  (func $sum_words (export "sum_words") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc)
          (i32.load offset=1024 (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))
)
