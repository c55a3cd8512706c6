;; want: "type mismatch" at 0x1e func 0
;; select without a type works only on numeric and vector operands.
(module
  (func (result funcref)
    (select (ref.null func) (ref.null func) (i32.const 1))))
