package isatest

import (
	"testing"
)

// Calls, control flow, memory, tables and traps, each run natively and in the interpreter.

const CallsSrc = `
func $fib(i32) -> i32 {
b0(v0:i32):
    v1:i32 = iconst 2
    v2:i32 = icmp slt v0, v1
    brif v2, b1, b2
b1:
    return v0
b2:
    v3:i32 = iconst -1
    v4:i32 = iadd v0, v3
    v5:i32 = call $fib(v4)
    v6:i32 = iconst -2
    v7:i32 = iadd v0, v6
    v8:i32 = call $fib(v7)
    v9:i32 = iadd v5, v8
    return v9
}

func $many(i32, i64, f64, i32, i64, f32, i32, i64, f64, i32, f32, f64, f64, f64, f64, f64, f64, f32, f32) -> i64, f64, i32, f32, i64, f64, i32 {
b0(v0:i32, v1:i64, v2:f64, v3:i32, v4:i64, v5:f32, v6:i32, v7:i64, v8:f64, v9:i32, v10:f32, v11:f64, v12:f64, v13:f64, v14:f64, v15:f64, v16:f64, v17:f32, v18:f32):
    v20:i64 = sext v0
    v21:i64 = iadd v20, v1
    v22:i64 = iadd v21, v4
    v23:i64 = iadd v22, v7
    v24:i64 = zext v9
    v25:i64 = imul v23, v24
    v26:f64 = fadd v2, v8
    v27:f64 = fadd v26, v11
    v28:f64 = fmul v27, v16
    v29:f32 = fadd v5, v10
    v30:f32 = fsub v29, v18
    v31:i32 = iadd v3, v6
    return v25, v28, v31, v30, v7, v15, v9
}

func $call_many(i32) -> i64, f64, i32, f32, i64, f64, i32 {
b0(v0:i32):
    v1:i64 = iconst 1000000000000
    v2:f64 = f64const 0.5
    v3:i32 = iconst 3
    v4:i64 = iconst -4
    v5:f32 = f32const 5.25
    v6:i32 = iconst 6
    v7:i64 = iconst 7
    v8:f64 = f64const 8
    v9:i32 = iconst 9
    v10:f32 = f32const 10
    v11:f64 = f64const 11
    v12:f64 = f64const 12
    v13:f64 = f64const 13
    v14:f64 = f64const 14
    v15:f64 = f64const 15
    v16:f64 = f64const 16
    v17:f32 = f32const 17
    v18:f32 = f32const 18.5
    v19:i64, v20:f64, v21:i32, v22:f32, v23:i64, v24:f64, v25:i32 = call $many(v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15, v16, v17, v18)
    v26:i64 = iadd v19, v23
    v27:i32 = iadd v21, v25
    return v26, v20, v27, v22, v23, v24, v0
}

func $swap(i32, i64) -> i64, i32 {
b0(v0:i32, v1:i64):
    return v1, v0
}

func $live_across(i32, f64) -> i32, f64 {
b0(v0:i32, v1:f64):
    v2:i32 = iconst 3
    v3:i32 = imul v0, v2
    v4:f64 = fadd v1, v1
    v11:i64 = bitcast v1
    v5:i64, v6:i32 = call $swap(v3, v11)
    v7:i32 = iadd v3, v6
    v8:i32 = wrap v5
    v9:i32 = iadd v7, v8
    v10:f64 = fadd v4, v1
    return v9, v10
}

func $switch(i32) -> i32 {
b0(v0:i32):
    v1:i32 = iconst 100
    brtable v0, [b1, b2, b3(v1), b2], default b3(v0)
b1:
    v2:i32 = iconst 10
    return v2
b2:
    v3:i32 = iconst 20
    return v3
b3(v4:i32):
    v5:i32 = iconst 1
    v6:i32 = iadd v4, v5
    return v6
}

func $recurse(i64) -> i64 {
b0(v0:i64):
    v1:i64 = iconst 1
    v2:i64 = iadd v0, v1
    v3:i64 = call $recurse(v2)
    v4:i64 = iadd v3, v0
    return v4
}

func $unreachable() -> i32 {
b0:
    trap unreachable
}

func $pressure(i32) -> i32 {
b0(v0:i32):
    v1:i32 = iconst 1
    v2:i32 = iadd v0, v1
    v3:i32 = iadd v2, v1
    v4:i32 = imul v3, v2
    v5:i32 = iadd v4, v3
    v6:i32 = imul v5, v4
    v7:i32 = iadd v6, v5
    v8:i32 = imul v7, v6
    v9:i32 = iadd v8, v7
    v10:i32 = imul v9, v8
    v11:i32 = iadd v10, v9
    v12:i32 = imul v11, v10
    v13:i32 = iadd v12, v11
    v14:i32 = imul v13, v12
    v15:i32 = iadd v14, v13
    v16:i32 = imul v15, v14
    v17:i32 = iadd v16, v15
    v18:i32 = call $fib(v1)
    v19:i32 = ixor v2, v3
    v20:i32 = ixor v19, v4
    v21:i32 = ixor v20, v5
    v22:i32 = ixor v21, v6
    v23:i32 = ixor v22, v7
    v24:i32 = ixor v23, v8
    v25:i32 = ixor v24, v9
    v26:i32 = ixor v25, v10
    v27:i32 = ixor v26, v11
    v28:i32 = ixor v27, v12
    v29:i32 = ixor v28, v13
    v30:i32 = ixor v29, v14
    v31:i32 = ixor v30, v15
    v32:i32 = ixor v31, v16
    v33:i32 = ixor v32, v17
    v34:i32 = ixor v33, v18
    v35:i32 = ixor v34, v0
    return v35
}
`

func execCalls(t *testing.T, h *Harness) {
	src := Module(CallsSrc, "fib", "call_many", "live_across", "switch", "recurse", "unreachable", "pressure")
	h.RunDiff(t, src, Call("fib", I32(0)), Call("fib", I32(1)), Call("fib", I32(20)),
		Call("call_many", I32(-5)), Call("live_across", I32(7), F64(1.25)),
		Call("pressure", I32(3)), Call("pressure", I32(-12345)),
		Call("unreachable"))
	for i := int32(-1); i <= 5; i++ {
		h.RunDiff(t, src, Call("switch", I32(i)))
	}
	// Unbounded recursion traps with stack_exhausted at the prologue check, never SIGSEGV.
	h.RunDiff(t, src, Call("recurse", I64(0)))
}

const memSrc = `
memory mem0 min 1 max 3

global $g mut i64 = iconst 5
global $h mut f64 = f64const 2.5

func $roundtrip(i32, i64) -> i64, i64, i64, i64, i64, i64, i64, i32, i32, i32, i32, i32, f32, f64 {
b0(v0:i32, v1:i64):
    boundscheck mem0, v0, 64
    store mem0[v0 + 0], v1
    store.32 mem0[v0 + 8], v1
    store.16 mem0[v0 + 12], v1
    store.8 mem0[v0 + 14], v1
    v2:i64 = load mem0[v0 + 0]
    v3:i64 = load.s32 mem0[v0 + 0]
    v4:i64 = load.u32 mem0[v0 + 4]
    v5:i64 = load.s16 mem0[v0 + 0]
    v6:i64 = load.u16 mem0[v0 + 6]
    v7:i64 = load.s8 mem0[v0 + 7]
    v8:i64 = load.u8 mem0[v0 + 1]
    v9:i32 = load mem0[v0 + 8]
    v10:i32 = load.s16 mem0[v0 + 12]
    v11:i32 = load.u16 mem0[v0 + 12]
    v12:i32 = load.s8 mem0[v0 + 14]
    v13:i32 = load.u8 mem0[v0 + 14]
    v14:f32 = load mem0[v0 + 8]
    v15:f64 = load mem0[v0 + 0]
    v16:f32 = f32const -1.5
    store mem0[v0 + 16], v16
    v17:f32 = load mem0[v0 + 16]
    v18:f32 = fadd v14, v17
    v19:i32 = iconst 77
    store.8 mem0[v0 + 20], v19
    v20:i32 = load.u8 mem0[v0 + 20]
    v21:i32 = iadd v20, v13
    return v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v21, v18, v15
}

func $at(i32) -> i32 {
b0(v0:i32):
    boundscheck mem0, v0, 4
    v1:i32 = load mem0[v0 + 0]
    return v1
}

func $const_addr() -> i32 {
b0:
    v0:i32 = iconst 1024
    v1:i32 = iconst 99
    boundscheck mem0, v0, 4
    store mem0[v0 + 0], v1
    boundscheck mem0, v0, 4
    v2:i32 = load mem0[v0 + 0]
    return v2
}

func $const_addr_oob() -> i32 {
b0:
    v0:i32 = iconst 65534
    boundscheck mem0, v0, 4
    v1:i32 = load mem0[v0 + 0]
    return v1
}

func $big_offset(i32) -> i32 {
b0(v0:i32):
    boundscheck mem0, v0, 4294967299
    v1:i32 = load mem0[v0 + 4294967295]
    return v1
}

func $grow(i32) -> i32, i32, i32, i32 {
b0(v0:i32):
    v1:i32 = memsize mem0
    v2:i32 = memgrow mem0, v0
    v3:i32 = memsize mem0
    v4:i32 = iconst 65536
    v5:i32 = imul v3, v4
    v6:i32 = iconst -4
    v7:i32 = iadd v5, v6
    boundscheck mem0, v7, 4
    v8:i32 = load mem0[v7 + 0]
    return v1, v2, v3, v8
}

func $globals(i64) -> i64, f64 {
b0(v0:i64):
    v1:i64 = globalget $g
    v2:i64 = iadd v1, v0
    globalset $g, v2
    v3:i64 = globalget $g
    v4:f64 = globalget $h
    v5:f64 = fmul v4, v4
    globalset $h, v5
    v6:f64 = globalget $h
    v7:i64 = iconst 9
    globalset $g, v7
    v8:i64 = globalget $g
    v9:i64 = iadd v8, v3
    return v9, v6
}

func $sum_mem(i32) -> i64, f64 {
b0(v0:i32):
    v1:i32 = iconst 0
    v2:i64 = iconst 0
    v3:f64 = f64const 0.5
    jump b1(v1, v2, v3)
b1(v4:i32, v5:i64, v6:f64):
    v7:i32 = iconst 3
    v8:i32 = ishl v4, v7
    boundscheck mem0, v8, 16
    v9:i64 = zext v4
    v10:i64 = imul v9, v9
    store mem0[v8 + 0], v10
    v11:i64 = load mem0[v8 + 0]
    v12:i64 = iadd v5, v11
    v13:f64 = load mem0[v8 + 0]
    v14:f64 = fsub v6, v13
    v15:i32 = iconst 1
    v16:i32 = iadd v4, v15
    v17:i32 = icmp ult v16, v0
    brif v17, b1(v16, v12, v14), b2
b2:
    return v12, v14
}

data data0 active mem0 at iconst 100 "hello"
`

func execMemory(t *testing.T, h *Harness) {
	src := Module(memSrc, "roundtrip", "at", "const_addr", "const_addr_oob", "big_offset", "grow", "globals", "sum_mem")
	h.RunDiff(t, src,
		Call("roundtrip", I32(0), I64(-0x0123456789abcdef)),
		Call("roundtrip", I32(1000), I64(0x7f8081828384858f)),
		Call("at", I32(100)), Call("at", I32(65532)), Call("at", I32(65533)), Call("at", I32(-1)),
		Call("const_addr"), Call("const_addr_oob"), Call("big_offset", I32(0)),
		Call("grow", I32(1)), Call("grow", I32(0)), Call("grow", I32(5)),
		Call("globals", I64(37)), Call("sum_mem", I32(1)), Call("sum_mem", I32(1000)))
}

const tableSrc = `
table table0 funcref min 4 max 8

func $add(i32, i32) -> i32 {
b0(v0:i32, v1:i32):
    v2:i32 = iadd v0, v1
    return v2
}

func $sub(i32, i32) -> i32 {
b0(v0:i32, v1:i32):
    v2:i32 = isub v0, v1
    return v2
}

func $neg(i32) -> i32 {
b0(v0:i32):
    v1:i32 = iconst 0
    v2:i32 = isub v1, v0
    return v2
}

func $dispatch(i32, i32, i32) -> i32 {
b0(v0:i32, v1:i32, v2:i32):
    v3:i32 = callindirect table0, v0(v1, v2)
    return v3
}

func $tables(i32) -> i32, i32, i32, i32 {
b0(v0:i32):
    v1:i32 = tablesize table0
    v2:funcref = tableget table0, v0
    v3:i32 = refisnull v2
    v4:funcref = reffunc $sub
    tableset table0, v0, v4
    v5:i32 = iconst 10
    v6:i32 = iconst 3
    v7:i32 = callindirect table0, v0(v5, v6)
    v8:funcref = refnull
    tableset table0, v0, v8
    v9:funcref = tableget table0, v0
    v10:i32 = refisnull v9
    return v1, v3, v7, v10
}

elem elem0 active table0 at iconst 0 funcref [reffunc $add, reffunc $sub, reffunc $neg]
`

func execTables(t *testing.T, h *Harness) {
	src := Module(tableSrc, "dispatch", "tables")
	h.RunDiff(t, src,
		Call("dispatch", I32(0), I32(7), I32(5)), Call("dispatch", I32(1), I32(7), I32(5)),
		Call("dispatch", I32(2), I32(7), I32(5)), Call("dispatch", I32(3), I32(7), I32(5)),
		Call("dispatch", I32(4), I32(7), I32(5)), Call("dispatch", I32(-1), I32(7), I32(5)),
		Call("tables", I32(0)), Call("tables", I32(3)), Call("tables", I32(4)))
}
