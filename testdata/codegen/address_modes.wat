;; Address modes (DESIGN.md, "Where speed comes from"): a load or store addresses
;; memory base + zero-extended address + offset in one operand, [base+index+disp], so no
;; add computes the address. The memory's base is a register loaded from wasmc.memories
;; and the wasm address is the index register; the instruction's own offset is the
;; displacement. (The bounds check's lea r11, [addr+end] is the check, not addressing.)
(module
  (memory (export "memory") 1)

  ;; A 32-bit load at offset 16: one mov with base, index and displacement.
  ;; amd64: `^mov e\w+, dword ptr \[r\w+\+r\w+\+0x10\]$` -`^add `
  ;; arm64: `^add x17, x\d+, w\d+, uxtw$` `^ldr w\d+, \[x17, #16\]$` -`^mov \w+, #0x10$`
  (func $load_field (export "load_field") (param $p i32) (result i32)
    (i32.load offset=16 (local.get $p)))

  ;; A 64-bit store at offset 24: the same mode on the destination.
  ;; amd64: `^mov qword ptr \[r\w+\+r\w+\+0x18\], r\w+$` -`^add `
  ;; arm64: `^add x17, x\d+, w\d+, uxtw$` `^str x\d+, \[x17, #24\]$` -`^mov \w+, #0x18$`
  (func $store_field (export "store_field") (param $p i32) (param $v i64)
    (i64.store offset=24 (local.get $p) (local.get $v)))

  ;; A sign-extending byte load: the extension and the address mode in one movsx.
  ;; amd64: `^movsx e\w+, byte ptr \[r\w+\+r\w+\+0x1\]$` -`^add `
  ;; arm64: `^ldrsb w\d+, \[x17, #1\]$` -`^sxtb `
  (func $load_byte (export "load_byte") (param $p i32) (result i32)
    (i32.load8_s offset=1 (local.get $p)))

  ;; A constant address folds into the displacement with the offset (64+4): no index
  ;; register, no materialized constant.
  ;; amd64: `^mov e\w+, dword ptr \[r\w+\+0x44\]$` -`^mov e\w+, 0x4[04]$`
  ;; arm64: `^ldr w\d+, \[x\d+, #68\]$` -`^mov \w+, #0x4[04]$`
  (func $load_const_addr (export "load_const_addr") (result i32)
    (i32.load offset=4 (i32.const 64)))
)
