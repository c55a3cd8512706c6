;; Guard pages, the default (--bounds-checks=guard, DESIGN.md decision 7, backend/guard.go):
;; memory 0 is a 4 GiB reservation plus a 2 GiB guard region, so an access with a 32-bit
;; address and an offset (plus width) of at most 2 GiB needs no compare: past the
;; memory's size it faults, and the fault handler reports the trap. Memory 0's base lives
;; in a register from process entry on (amd64 r15, arm64 x28), never loaded.
(module
  (memory (export "memory") 1)

  ;; A load at a small offset: one instruction, no check, the base register as base.
  ;; amd64: `^mov e\w+, dword ptr \[r15\+r\w+\+0x10\]$` -`\[wasmc\.memories` -`^ja `
  ;; arm64: `^add x17, x28, w\d+, uxtw$` `^ldr w\d+, \[x17, #16\]$` -`<wasmc\.memories`
  (func $load_field (export "load_field") (param $p i32) (result i32)
    (i32.load offset=16 (local.get $p)))

  ;; A read-modify-write loop: the load and the store address through the base register,
  ;; and no compare but the loop's own (and the prologue's stack check).
  ;; amd64: -`\[wasmc\.memories` `^mov e\w+, dword ptr \[r15\+r\w+\]$` `^mov dword ptr \[r15\+r\w+\], e\w+$` 3 `^cmp `
  ;; arm64: -`<wasmc\.memories` `^ldr w\d+, \[x28, w\d+, uxtw\]$` `^str w\d+, \[x28, w\d+, uxtw\]$`
  (func $incr_each (export "incr_each") (param $p i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (loop $next
        (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br_if $next (i32.lt_u (local.get $p) (local.get $end))))))

  ;; An offset whose end passes the guard region (2 GiB - 3 + 4 bytes) keeps its
  ;; explicit check against the size word.
  ;; amd64: 1 `^cmp .*\[wasmc\.memories\+8\]`
  ;; arm64: 1 `<wasmc\.memories\+8>`
  (func $far (export "far") (param $p i32) (result i32)
    (i32.load offset=2147483645 (local.get $p)))

  ;; A load whose value nobody uses is not emitted, so its check cannot be left to a
  ;; fault: it stays explicit, and the trap still happens.
  ;; amd64: 1 `^cmp .*\[wasmc\.memories\+8\]`
  ;; arm64: 1 `<wasmc\.memories\+8>`
  (func $dead_load (export "dead_load") (param $p i32)
    (drop (i32.load (local.get $p))))
)
