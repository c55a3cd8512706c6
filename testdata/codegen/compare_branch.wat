;; Compare+branch fusion (amd64/testdata/isel/compare_branch_fusion.txtar): a compare
;; whose only use is a br_if or if condition becomes cmp (test for eqz, ucomisd for
;; floats) right before a jcc. No setcc materializes a boolean, and no test re-examines
;; one. Conditions are chosen so their jcc is not the prologue's stack-limit jb.
(module
  ;; i32.lt_s feeding br_if: cmp, then jl (or jge to the other side).
  ;; amd64: `^cmp e\w+, e\w+$` `^j(l|ge) ` -"^set" -"^test "
  ;; arm64: `^cmp w\d+, w\d+$` `^b\.(lt|ge) ` -`^cset ` -`^cbn?z `
  (func $first_less (export "first_less") (param $a i32) (param $b i32) (result i32)
    (block $yes
      (br_if $yes (i32.lt_s (local.get $a) (local.get $b)))
      (return (i32.const 7)))
    (i32.const 9))

  ;; i64.gt_u feeding if: a 64-bit cmp and ja/jbe.
  ;; amd64: `^cmp r\w+, r\w+$` `^j(a|be) ` -"^set" -"^test "
  ;; arm64: `^cmp x\d+, x\d+$` `^b\.(hi|ls) ` -`^cset ` -`^cbn?z `
  (func $if_above (export "if_above") (param $a i64) (param $b i64) (result i64)
    (if (result i64) (i64.gt_u (local.get $a) (local.get $b))
      (then (i64.sub (local.get $a) (local.get $b))) (else (i64.const 0))))

  ;; A compare with a constant keeps the immediate in the cmp.
  ;; amd64: `^cmp e\w+, 0x3e8$` `^j(l|ge) ` -"^set" -"^test "
  ;; arm64: `^cmp w\d+, #0x3e8$` `^b\.(lt|ge) ` -`^cset ` -`^mov w\d+, #0x3e8$`
  (func $less_than_1000 (export "less_than_1000") (param $a i32) (result i32)
    (block $yes
      (br_if $yes (i32.lt_s (local.get $a) (i32.const 1000)))
      (return (i32.const 7)))
    (i32.const 9))

  ;; i32.eqz feeding if: test r, r and je/jne, with no cmp against zero.
  ;; amd64: `^test e\w+, e\w+$` `^j(e|ne) ` -"^set" -`^cmp e\w+, 0x0$`
  ;; arm64: `^cbn?z w\d+, ` -`^cset ` -`^cmp w\d+, #0x0$`
  (func $if_zero (export "if_zero") (param $a i32) (result i32)
    (if (result i32) (i32.eqz (local.get $a)) (then (i32.const 5)) (else (i32.const 6))))

  ;; A loop's back edge on a counter: br_if on the value itself is test + jne.
  ;; amd64: `^test e\w+, e\w+$` `^j(e|ne) ` -"^set"
  ;; arm64: `^cbn?z w\d+, ` -`^cset ` -`^cmp w\d+, #0x0$`
  (func $count_down (export "count_down") (param $n i32) (result i32)
    (local $k i32)
    (loop $next
      (local.set $k (i32.add (local.get $k) (i32.const 3)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $next (local.get $n)))
    (local.get $k))

  ;; f64.lt feeding br_if: ucomisd with the operands swapped and ja (a < b is b > a,
  ;; false when unordered), no setcc and no parity juggling.
  ;; amd64: `^ucomisd xmm\d+, xmm\d+$` `^ja ` -"^set" -`^jn?p `
  ;; arm64: `^fcmp d\d+, d\d+$` `^b\.(mi|pl) ` -`^cset ` -`^b\.v[sc] `
  (func $float_less (export "float_less") (param $a f64) (param $b f64) (result i32)
    (block $yes
      (br_if $yes (f64.lt (local.get $a) (local.get $b)))
      (return (i32.const 7)))
    (i32.const 9))
)
