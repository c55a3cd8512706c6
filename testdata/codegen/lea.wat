;; lea for additions (amd64/testdata/isel/lea_add_const.txtar): an add of a constant, a
;; subtraction of one, and an add of two registers are each one three-address lea, so
;; the input need not be copied first and the flags are left alone. No add instruction
;; and no constant in a register.
(module
  ;; x + 12.
  ;; amd64: `^lea e\w+, \[r\w+\+0xc\]$` -`^add ` -`^mov \w+, 0xc$`
  ;; arm64: `^add w\d+, w\d+, #0xc$` -`^mov \w+, #0xc$`
  (func $add12 (export "add12") (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 12)))

  ;; x - 8 on i64: lea with a negative displacement, no sub.
  ;; amd64: `^lea r\w+, \[r\w+-0x8\]$` -`^sub r` -`^mov \w+, 0x8$`
  ;; arm64: `^sub x\d+, x\d+, #0x8$` -`^mov \w+, #0x8$`
  (func $sub8 (export "sub8") (param $x i64) (result i64)
    (i64.sub (local.get $x) (i64.const 8)))

  ;; x + y: lea r, [a+b] instead of mov + add.
  ;; amd64: `^lea e\w+, \[r\w+\+r\w+\]$` -`^add `
  ;; arm64: `^add w\d+, w\d+, w\d+$`
  (func $add_regs (export "add_regs") (param $x i32) (param $y i32) (result i32)
    (i32.add (local.get $x) (local.get $y)))

  ;; A pointer bump in a loop: p + 4 each iteration is a lea.
  ;; amd64: `^lea e\w+, \[r\w+\+0x4\]$` -`^add e\w+, 0x4$`
  ;; arm64: `^add w\d+, w\d+, #0x4$` -`^mov \w+, #0x4$`
  (func $walk (export "walk") (param $p i32) (param $end i32) (result i32)
    (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $next)))
    (local.get $n))
)
