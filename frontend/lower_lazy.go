package frontend

import (
	"errors"
	"fmt"
	"sync"

	"github.com/wasmc/wasmc/ir"
)

// LowerLazy is [Lower] with bodies on demand (DESIGN.md decision 14): it declares the
// module at once, and gives each defined function an [ir.BodySource] that lowers its body
// when [ir.Func.Load] asks, so a compiler that loads, compiles and releases one function
// at a time never holds the IR of the whole module. m must stay unchanged while the
// result is in use: the sources read its code.
//
// An error that only a body shows (too many locals) comes from Load,
// and only for the functions that are loaded: dead-function elimination may drop one
// before anything looks at it.
func LowerLazy(m *Module) (*ir.Module, error) {
	return LowerUnchecked(m, nil)
}

// LowerUnchecked is [LowerLazy] for a module whose declarations are validated and whose
// bodies may not be yet ([ValidateDecls]): each body is checked by bodies before it is
// lowered, and a body found invalid, now or by anyone before, is an error of its Load, a
// *[ValidationError] (not necessarily the module's first: see [Bodies.First]). With
// nil bodies it is LowerLazy.
func LowerUnchecked(m *Module, bodies *Bodies) (*ir.Module, error) {
	ml := &moduleLowerer{m: m, out: &ir.Module{}}
	if err := ml.declare(); err != nil {
		return nil, err
	}
	if len(m.Codes) != len(m.Funcs) {
		return nil, fmt.Errorf("%d function declarations but %d bodies; was the module validated?", len(m.Funcs), len(m.Codes))
	}
	pool := &sync.Pool{New: func() any { return &funcLowerer{mod: ml} }}
	for fn := ml.nimported; fn < len(ml.out.Funcs); fn++ {
		ml.out.Funcs[fn].Source = &wasmBody{ml: ml, fn: fn, pool: pool, bodies: bodies}
	}
	return ml.out, nil
}

// wasmBody lowers one function's wasm code when asked. The lowerers, whose tables grow to
// the largest body seen, are pooled across functions: one per worker in the steady state.
type wasmBody struct {
	ml   *moduleLowerer
	fn   int // in the function index space
	pool *sync.Pool
	// bodies, when not nil, validates the code before it is lowered: lowering trusts
	// what it reads.
	bodies *Bodies
}

func (b *wasmBody) Body(f *ir.Func) error {
	if bs := b.bodies; bs != nil {
		if err := bs.Check(b.fn - b.ml.nimported); err != nil {
			return err
		}
		if bs.Failed() { // another body is invalid: the module is refused, build nothing more
			return errInvalidModule
		}
	}
	fl := b.pool.Get().(*funcLowerer)
	err := fl.lowerInto(f, b.fn)
	fl.f, fl.code = nil, nil // keep no reference to the function
	if fl.b != nil {
		fl.b.Reset(nil)
	}
	// A lowerer that has lowered a huge body holds tables as large as a third of the
	// body's IR: pooled, they would stay alive through the body's selection and register
	// allocation, the compiler's peak (issue 19). Such bodies are rare, so the next one
	// grows a lowerer of its own.
	if len(b.ml.m.Codes[b.fn-b.ml.nimported].Body) <= poolBodyMax {
		b.pool.Put(fl)
	}
	return err
}

// CodeSize implements [ir.CodeSizer]: the bytes of the function's code.
func (b *wasmBody) CodeSize() int { return len(b.ml.m.Codes[b.fn-b.ml.nimported].Body) }

// errInvalidModule is Load's error for a valid body of a module that has an invalid one.
var errInvalidModule = errors.New("the module is invalid")

// poolBodyMax is the largest body, in bytes of code, whose lowerer goes back to the pool.
// Real programs' functions are rarely past a few kilobytes: gobig's largest is 50 KB,
// and one of encoding/json's test binary (93 KB) is past it.
const poolBodyMax = 64 << 10

// Refs reports what call and ref.func name, the only instructions of WebAssembly 2.0
// that name a function: as the decoder recorded them, or else read from the code.
//
// A body not validated yet may name a function that does not exist: such an index is
// left out, for the body's validation to report.
func (b *wasmBody) Refs(fn func(uint32)) error {
	n := uint64(len(b.ml.funcType))
	if code := &b.ml.m.Codes[b.fn-b.ml.nimported]; code.RefsRead {
		for _, idx := range code.Refs {
			if uint64(idx) < n {
				fn(idx)
			}
		}
		return nil
	}
	return b.scan(func(in *Instr) {
		if (in.Op == OpCall || in.Op == OpRefFunc) && uint64(in.Idx) < n {
			fn(in.Idx)
		}
	})
}

// Calls reads the code for call, and estimates the body's size as ir.BodySize counts
// it, from what lowering makes of each instruction: nothing of a local's access, a drop
// or a nop, whose values SSA construction passes along, or of block, loop, else and end,
// which at most end a block with a jump; two of a load or store, which get a bounds
// check; one of anything else; and one more per operand past the eighth of a call, a
// br_table or a block type. A body's bytes and locals count too, even when they make few
// instructions (a million nops, a million locals): such a body is no small function,
// and the estimate bounds what building it costs as well.
func (b *wasmBody) Calls(fn func(uint32)) (int, error) {
	m := b.ml.m
	arity := func(t uint32) int {
		if int(t) >= len(m.Types) {
			return 0
		}
		return max(0, len(m.Types[t].Params)+len(m.Types[t].Results)-8)
	}
	code := &m.Codes[b.fn-b.ml.nimported]
	body := code.Body
	size := 0
	var in Instr
	var err error
	for pos := 0; pos < len(body); {
		// Most instructions count by their opcode alone (callsSizes), without an Instr:
		// reading each into one was most of the inlining plan's frontend time (issue 21).
		n := 0
		pos, n = skipSized(body, pos, &callsKinds, &callsSizes)
		size += n
		if pos >= len(body) {
			break
		}
		var next int
		if next, err = ReadInstr(body, pos, code.Offset, &in); err != nil {
			break
		}
		switch in.Op {
		case OpCall:
			size++
			if int(in.Idx) < len(b.ml.funcType) { // else invalid, as Refs says
				fn(in.Idx)
				size += arity(b.ml.funcType[in.Idx])
			}
		case OpCallIndirect:
			size += 1 + arity(in.Idx)
		case OpBrTable:
			size += 1 + max(0, len(in.Labels)-8)
		case OpBlock, OpLoop, OpIf:
			if in.BlockType >= 0 {
				size += arity(uint32(in.BlockType))
			}
			if in.Op == OpIf {
				size++
			}
		default:
			size += callSize(in.Op)
		}
		pos = next
	}
	locals := 0
	for _, d := range code.Locals {
		locals += int(min(d.Count, 1<<24))
	}
	return max(size, (len(body)+locals)/4), err
}

// callSize is Calls's size of an instruction other than a call, call_indirect, br_table,
// block, loop or if, which is its opcode's alone.
func callSize(op Opcode) int {
	switch {
	case op >= OpLocalGet && op <= OpLocalTee, op == OpDrop, op == OpNop, op == OpElse, op == OpEnd:
		return 0
	case op >= opFirstLoad && op <= opLastStore:
		return 2
	}
	return 1
}

// callsKinds and callsSizes are skipSized's tables for Calls: the short forms but those
// whose size depends on their immediates (call, block, loop, if), and each one's size.
var callsKinds, callsSizes = func() (k [0x100]shortKind, n [0x100]uint8) {
	for op := range k {
		switch Opcode(op) {
		case OpCall, OpBlock, OpLoop, OpIf:
			continue
		}
		k[op], n[op] = shortKinds[op], uint8(callSize(Opcode(op)))
	}
	return k, n
}()

// The loads and stores of WebAssembly 2.0 are opcodes 0x28 to 0x3E.
const (
	opFirstLoad Opcode = 0x28
	opLastStore Opcode = 0x3E
)

// scan calls fn with each instruction of the body, in order.
func (b *wasmBody) scan(fn func(*Instr)) error {
	code := &b.ml.m.Codes[b.fn-b.ml.nimported]
	var in Instr
	for pos := 0; pos < len(code.Body); {
		next, err := ReadInstr(code.Body, pos, code.Offset, &in)
		if err != nil {
			return err
		}
		fn(&in)
		pos = next
	}
	return nil
}
