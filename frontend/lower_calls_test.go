package frontend

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

// TestCallsMatchesScan compares Calls, which counts most instructions by their opcode
// without reading them into an Instr, with callsByScan, which reads every one as Calls
// did before (issue 21): the same size, calls and error for every body of the large Go
// module, and for bodies made from them by changing bytes at random, which take the
// reader's paths and its errors.
func TestCallsMatchesScan(t *testing.T) {
	m := decodeLarge(t)
	im, err := LowerLazy(m)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	mutated := 0
	for _, f := range im.Funcs {
		b, ok := f.Source.(*wasmBody)
		if !ok {
			continue
		}
		checkCalls(t, b, "")
		code := &m.Codes[b.fn-b.ml.nimported]
		if rng.Intn(8) != 0 || len(code.Body) == 0 {
			continue
		}
		orig := code.Body
		for k := range 4 {
			body := slices.Clone(orig)
			for range 1 + rng.Intn(4) {
				body[rng.Intn(len(body))] = byte(rng.Intn(256))
			}
			code.Body = body
			checkCalls(t, b, fmt.Sprintf(" changed (%d)", k))
			mutated++
		}
		code.Body = orig
	}
	t.Logf("%d functions, %d changed bodies", len(im.Funcs), mutated)
}

// checkCalls compares b.Calls with callsByScan.
func checkCalls(t *testing.T, b *wasmBody, what string) {
	t.Helper()
	var got, want []uint32
	gotSize, gotErr := b.Calls(func(i uint32) { got = append(got, i) })
	wantSize, wantErr := callsByScan(b, func(i uint32) { want = append(want, i) })
	if gotSize != wantSize || !slices.Equal(got, want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Fatalf("function %d%s: Calls gives size %d, %d calls, error %v; reading every instruction %d, %d, %v",
			b.fn, what, gotSize, len(got), gotErr, wantSize, len(want), wantErr)
	}
}

// callsByScan is Calls as it was, reading every instruction.
func callsByScan(b *wasmBody, fn func(uint32)) (int, error) {
	m := b.ml.m
	arity := func(t uint32) int {
		if int(t) >= len(m.Types) {
			return 0
		}
		return max(0, len(m.Types[t].Params)+len(m.Types[t].Results)-8)
	}
	size := 0
	err := b.scan(func(in *Instr) {
		switch {
		case in.Op == OpCall:
			size++
			if int(in.Idx) < len(b.ml.funcType) {
				fn(in.Idx)
				size += arity(b.ml.funcType[in.Idx])
			}
		case in.Op == OpCallIndirect:
			size += 1 + arity(in.Idx)
		case in.Op == OpBrTable:
			size += 1 + max(0, len(in.Labels)-8)
		case in.Op == OpBlock || in.Op == OpLoop || in.Op == OpIf:
			if in.BlockType >= 0 {
				size += arity(uint32(in.BlockType))
			}
			if in.Op == OpIf {
				size++
			}
		case in.Op >= OpLocalGet && in.Op <= OpLocalTee, in.Op == OpDrop, in.Op == OpNop,
			in.Op == OpElse, in.Op == OpEnd:
		case in.Op >= opFirstLoad && in.Op <= opLastStore:
			size += 2
		default:
			size++
		}
	})
	code := &m.Codes[b.fn-b.ml.nimported]
	locals := 0
	for _, d := range code.Locals {
		locals += int(min(d.Count, 1<<24))
	}
	return max(size, (len(code.Body)+locals)/4), err
}
