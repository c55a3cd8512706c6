;; want: "unknown global 0" at 0x12
;; WebAssembly 2.0 constant expressions see only imported globals.
(module
  (global $a i32 (i32.const 0))
  (global $b i32 (global.get $a)))
