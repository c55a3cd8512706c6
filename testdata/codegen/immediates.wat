;; Immediate forms (amd64/testdata/isel/immediate_forms.txtar): a constant operand that
;; fits a sign-extended 32-bit immediate is encoded in the instruction (and r, imm;
;; imul r, r, imm; mov [m], imm), never moved into a register first. The constants are
;; ones no prologue or trap stub uses (those load small trap codes such as mov edi, 0xa),
;; so "no mov of the constant" cannot be confused with them. Additions of a constant are
;; lea (lea.wat).
(module
  (memory (export "memory") 1)

  ;; x & 0xff00 (i64): and r, imm.
  ;; amd64: `^and r\w+, 0xff00$` -`^mov \w+, 0xff00$`
  ;; arm64: `^and x\d+, x\d+, #0xff00$` -`^mov \w+, #0xff00$`
  (func $mask (export "mask") (param $x i64) (result i64)
    (i64.and (local.get $x) (i64.const 0xff00)))

  ;; (x | 0x1000) ^ 0x5555: both immediate, neither constant in a register.
  ;; amd64: `^or e\w+, 0x1000$` `^xor e\w+, 0x5555$` -`^mov \w+, 0x(1000|5555)$`
  ;; arm64: `^orr w\d+, w\d+, #0x1000$` -`^mov \w+, #0x1000$`
  (func $flags (export "flags") (param $x i32) (result i32)
    (i32.xor (i32.or (local.get $x) (i32.const 0x1000)) (i32.const 0x5555)))

  ;; x * 1000: the three-operand imul r, r, imm.
  ;; amd64: `^imul e\w+, e\w+, 0x3e8$` -`^mov \w+, 0x3e8$`
  (func $times1000 (export "times1000") (param $x i32) (result i32)
    (i32.mul (local.get $x) (i32.const 1000)))

  ;; x * 8: a multiply by a power of two is a shift by an immediate.
  ;; amd64: `^shl r\w+, 0x3$` -"^imul"
  ;; arm64: `^lsl x\d+, x\d+, #3$` -`^mul `
  (func $times8 (export "times8") (param $x i64) (result i64)
    (i64.mul (local.get $x) (i64.const 8)))

  ;; x >> 5: a constant shift count is an immediate, not cl.
  ;; amd64: `^shr e\w+, 0x5$` -`, cl$`
  ;; arm64: `^lsr w\d+, w\d+, #5$` -`^mov \w+, #0x5$`
  (func $shr5 (export "shr5") (param $x i32) (result i32)
    (i32.shr_u (local.get $x) (i32.const 5)))

  ;; Storing a constant: mov dword ptr [...], imm.
  ;; amd64: `^mov dword ptr \[r\w+\+r\w+\+0x8\], 0x3e8$` -`^mov e\w+, 0x3e8$`
  (func $store_1000 (export "store_1000") (param $p i32)
    (i32.store offset=8 (local.get $p) (i32.const 1000)))
)
