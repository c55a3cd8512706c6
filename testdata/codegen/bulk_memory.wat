;; memory.fill and memory.copy on amd64 are inline string instructions (amd64/emit_bulk.go),
;; not calls of the runtime: the range is checked against the memory's size, then
;; rep stosb or rep movsb (backwards, with the direction flag, when the destination starts
;; inside the source). Go's runtime clears and moves all its memory this way.
(module
  (memory (export "memory") 1)

  ;; amd64: `^rep stosb` -`memory_(fill|copy)` 1 `^cmp .*\[wasmc\.memories\+8\]`
  (func $clear (export "clear") (param $p i32) (param $n i32)
    (memory.fill (local.get $p) (i32.const 0) (local.get $n)))

  ;; amd64: 2 `^rep movsb` `^std$` `^cld$` -`memory_(fill|copy)` 2 `^cmp .*\[wasmc\.memories\+8\]`
  (func $move (export "move") (param $d i32) (param $s i32) (param $n i32)
    (memory.copy (local.get $d) (local.get $s) (local.get $n)))
)
