;; want: "type mismatch" at 0x1e func 0
;; br_table targets must carry the same number of values, even in unreachable code.
(module
  (func
    (block
      (block (result f32)
        unreachable
        (br_table 0 1 0 (i32.const 1)))
      drop)))
