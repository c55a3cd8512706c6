;; want: "type mismatch" at 0x1e func 0
;; An if without else has an empty else branch, which cannot produce the result.
(module
  (func (result i32)
    (if (result i32) (i32.const 1) (then (i32.const 2)))))
