;; want: "undeclared function reference" at 0x1f func 1
;; A body may take a reference only to functions referenced outside bodies.
(module
  (func $f)
  (func (result funcref) (ref.func $f)))
