;; want: valid
;; Stack-polymorphic code after unreachable, br, br_table and return: operands popped from
;; the empty stack are unknown and match anything, results keep their types.
(module
  (func (result i32)
    unreachable
    i32.add)
  (func
    unreachable
    select
    i32.eqz
    drop)
  (func
    unreachable
    select
    ref.is_null
    drop)
  (func (result i64)
    unreachable
    i64.const 0
    i32.const 0
    select)
  ;; br_table to labels of the same arity but different types, after unreachable.
  (func
    (block (result f64)
      (block (result f32)
        unreachable
        (br_table 0 1 1 (i32.const 1)))
      drop
      (f64.const 0))
    drop)
  (func (param i32) (result i32)
    (block
      (br_table 0 0 (local.get 0))
      i32.add
      drop)
    (return (i32.const 1))
    i64.const 0
    drop))
