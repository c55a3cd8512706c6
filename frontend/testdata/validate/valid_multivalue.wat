;; want: valid
;; Blocks, loops and ifs with parameters and several results; a branch to a loop carries
;; its parameters; an if without else passes its parameters through.
(module
  (type $ii_f (func (param i32 i64) (result f32 f64)))
  (type $i_i (func (param i32) (result i32)))
  (func (result f32 f64)
    (i32.const 0) (i64.const 0)
    (block (type $ii_f) (param i32 i64) (result f32 f64)
      drop drop
      (f32.const 1) (f64.const 2)))
  (func (param i32) (result i32)
    (i32.const 10)
    (loop (type $i_i) (param i32) (result i32)
      (i32.sub (i32.const 1))
      (br_if 0 (local.tee 0) (local.get 0))))
  (func (result i32)
    (i32.const 5)
    (if (type $i_i) (param i32) (result i32) (i32.const 1) (then)))
  (func (param i32) (result i32 i64)
    (if (result i32 i64) (local.get 0)
      (then (i32.const 1) (i64.const 2))
      (else (i32.const 3) (i64.const 4)))))
