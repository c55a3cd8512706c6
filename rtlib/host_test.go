package rtlib_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/rtlib"
)

// This file plays the host for rt.wasm under the IR interpreter: the intrinsics are Go
// host functions over a fake host address space made of a few regions.

// rtBase is where the fake host maps the runtime's own memory (rt_host adds it).
const rtBase = 0x7000_0000_0000

// region is a range of fake host memory starting at addr.
type region struct {
	addr uint64
	b    []byte
}

// exitError is what syscall(exit_group) returns to stop the run, as the process would.
type exitError struct{ status int64 }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.status) }

// sysCall is one syscall the runtime made.
type sysCall struct {
	nr   rtlib.Sys
	args [6]int64
}

// host is the fake host of one runtime instance.
type host struct {
	t       *testing.T
	regions []*region
	descs   map[int32]uint64 // memory index → descriptor address
	tables  map[int32]uint64 // table index → descriptor address
	datas   map[int32]uint64 // data segment index → descriptor address
	elems   map[int32]uint64 // element segment index → descriptor address
	functab uint64
	rt      *ir.MemoryInst
	stderr  []byte
	// stdout is every write to fd 1, one entry per syscall.
	stdout [][]byte
	calls  []sysCall
	// writeMax, when not 0, is the most bytes one write accepts, to make short writes.
	writeMax int64
	// mprotect is what syscall(mprotect) returns.
	mprotect int64
}

func (h *host) find(addr, n uint64) ([]byte, error) {
	for _, r := range h.regions {
		if addr >= r.addr && addr-r.addr+n <= uint64(len(r.b)) {
			return r.b[addr-r.addr : addr-r.addr+n], nil
		}
	}
	return nil, fmt.Errorf("host address 0x%x (+%d) is not mapped", addr, n)
}

// mapRegion adds n zero bytes of host memory at addr and returns them.
func (h *host) mapRegion(addr uint64, n int) []byte {
	r := &region{addr: addr, b: make([]byte, n)}
	h.regions = append(h.regions, r)
	return r.b
}

// memory maps memory mem's reservation of max bytes at base and its descriptor at desc.
func (h *host) memory(mem int32, desc, base, size, max uint64) []byte {
	d := h.mapRegion(desc, 24)
	binary.LittleEndian.PutUint64(d[0:], base)
	binary.LittleEndian.PutUint64(d[8:], size)
	binary.LittleEndian.PutUint64(d[16:], max)
	h.descs[mem] = desc
	return h.mapRegion(base, int(max))
}

func (h *host) descriptor(mem int32) []byte {
	return h.bytes(h.descs[mem], 24)
}

// bytes returns the n mapped bytes at addr.
func (h *host) bytes(addr, n uint64) []byte {
	b, err := h.find(addr, n)
	if err != nil {
		h.t.Fatal(err)
	}
	return b
}

// tableBudget is where the tables' shared growth budget lives (ir.TableDescSize), mapped
// with the first table and holding 2^40 elements unless a test sets it.
const tableBudget = 0x800

// table maps table idx's descriptor at desc and its capacity of max 8-byte elements at
// base, and returns the elements' bytes.
func (h *host) table(idx int32, desc, base, size, max uint64) []byte {
	if len(h.tables) == 0 {
		binary.LittleEndian.PutUint64(h.mapRegion(tableBudget, 8), 1<<40)
	}
	d := h.mapRegion(desc, ir.TableDescSize)
	binary.LittleEndian.PutUint64(d[0:], base)
	binary.LittleEndian.PutUint64(d[8:], size)
	binary.LittleEndian.PutUint64(d[16:], max)
	binary.LittleEndian.PutUint64(d[24:], tableBudget)
	h.tables[idx] = desc
	return h.mapRegion(base, int(max)*8)
}

// segment maps a passive segment's descriptor {base, length} at desc and its contents at
// base, exactly len(contents) bytes so that the runtime cannot read past them unnoticed,
// records it under idx in segs (h.datas or h.elems) and returns the contents.
func (h *host) segment(segs map[int32]uint64, idx int32, desc, base uint64, contents []byte, length uint64) []byte {
	d := h.mapRegion(desc, 16)
	binary.LittleEndian.PutUint64(d[0:], base)
	binary.LittleEndian.PutUint64(d[8:], length)
	segs[idx] = desc
	b := h.mapRegion(base, len(contents))
	copy(b, contents)
	return b
}

// drop does what data.drop or elem.drop does to segment idx of segs: length 0.
func (h *host) drop(segs map[int32]uint64, idx int32) {
	binary.LittleEndian.PutUint64(h.bytes(segs[idx]+8, 8), 0)
}

// funcs builds a function table at addr with the given names and starts, ending at end.
func (h *host) funcs(addr, end uint64, names []string, starts []uint64) {
	names0 := addr + rtlib.FunctabHeaderSize + uint64(len(names))*rtlib.FunctabEntrySize
	size := int(names0 - addr)
	for _, n := range names {
		size += len(n)
	}
	b := h.mapRegion(addr, size)
	binary.LittleEndian.PutUint64(b[0:], uint64(len(names)))
	binary.LittleEndian.PutUint64(b[8:], end)
	at := names0
	for i, n := range names {
		e := b[rtlib.FunctabHeaderSize+i*rtlib.FunctabEntrySize:]
		binary.LittleEndian.PutUint64(e[0:], starts[i])
		binary.LittleEndian.PutUint64(e[8:], at)
		binary.LittleEndian.PutUint64(e[16:], uint64(len(n)))
		copy(b[at-addr:], n)
		at += uint64(len(n))
	}
	h.functab = addr
}

func u64(v ir.Val) uint64   { return v.Bits }
func i64(v uint64) []ir.Val { return []ir.Val{ir.I64Val(int64(v))} }

// impl returns the Go implementation of intrinsic name.
func (h *host) impl(name string) ir.HostFunc {
	switch name {
	case "trap":
		return func(a []ir.Val) ([]ir.Val, error) { return nil, &ir.Trap{Code: ir.TrapCode(a[0].Bits)} }
	case "syscall":
		return h.syscall
	case "host_load64":
		return func(a []ir.Val) ([]ir.Val, error) {
			b, err := h.find(u64(a[0]), 8)
			if err != nil {
				return nil, fmt.Errorf("host_load64(0x%x): %v", u64(a[0]), err)
			}
			return i64(binary.LittleEndian.Uint64(b)), nil
		}
	case "host_store64":
		return func(a []ir.Val) ([]ir.Val, error) {
			b, err := h.find(u64(a[0]), 8)
			if err != nil || u64(a[0])%8 != 0 {
				return nil, fmt.Errorf("host_store64(0x%x): unaligned or %v", u64(a[0]), err)
			}
			binary.LittleEndian.PutUint64(b, u64(a[1]))
			return nil, nil
		}
	case "host_load8":
		return func(a []ir.Val) ([]ir.Val, error) {
			b, err := h.find(u64(a[0]), 1)
			if err != nil {
				return nil, err
			}
			return []ir.Val{ir.I32Val(int32(b[0]))}, nil
		}
	case "rt_host":
		return func(a []ir.Val) ([]ir.Val, error) { return i64(rtBase + uint64(uint32(a[0].Bits))), nil }
	case "memory_descriptor":
		return h.lookup(name, h.descs)
	case "table_descriptor":
		return h.lookup(name, h.tables)
	case "data_descriptor":
		return h.lookup(name, h.datas)
	case "elem_descriptor":
		return h.lookup(name, h.elems)
	case "functab":
		return func([]ir.Val) ([]ir.Val, error) { return i64(h.functab), nil }
	}
	return func([]ir.Val) ([]ir.Val, error) {
		return nil, fmt.Errorf("intrinsic %s: not played by this test", name)
	}
}

// lookup plays a descriptor intrinsic: the address of the descriptor of descs[index].
func (h *host) lookup(name string, descs map[int32]uint64) ir.HostFunc {
	return func(a []ir.Val) ([]ir.Val, error) {
		d, ok := descs[int32(a[0].Bits)]
		if !ok {
			return nil, fmt.Errorf("%s(%d): no such entity", name, int32(a[0].Bits))
		}
		return i64(d), nil
	}
}

func (h *host) syscall(a []ir.Val) ([]ir.Val, error) {
	c := sysCall{nr: rtlib.Sys(a[0].Bits)}
	for i := range c.args {
		c.args[i] = int64(a[i+1].Bits)
	}
	h.calls = append(h.calls, c)
	switch c.nr {
	case rtlib.SysWrite:
		p, n := uint64(c.args[1])-rtBase, uint64(c.args[2])
		if c.args[0] != 1 && c.args[0] != 2 || p+n > uint64(len(h.rt.Bytes())) || n == 0 {
			return nil, fmt.Errorf("write(%d, 0x%x, %d): not a runtime buffer to stdout or stderr", c.args[0], c.args[1], n)
		}
		if h.writeMax != 0 {
			n = min(n, uint64(h.writeMax))
		}
		b := h.rt.Bytes()[p : p+n]
		if c.args[0] == 1 {
			h.stdout = append(h.stdout, bytes.Clone(b))
		} else {
			h.stderr = append(h.stderr, b...)
		}
		return i64(n), nil
	case rtlib.SysExitGroup:
		return nil, &exitError{c.args[0]}
	case rtlib.SysMprotect:
		return i64(uint64(h.mprotect)), nil
	}
	return i64(^uint64(37)), nil // -ENOSYS
}

// lowerRuntime decodes, validates and lowers rt.wasm.
func lowerRuntime(t *testing.T) (*frontend.Module, *ir.Module) {
	t.Helper()
	fm, err := frontend.Decode(rtlib.Wasm())
	if err != nil {
		t.Fatal(err)
	}
	if err := frontend.Validate(fm); err != nil {
		t.Fatal(err)
	}
	m, err := frontend.Lower(fm)
	if err != nil {
		t.Fatal(err)
	}
	if errs := ir.VerifyModule(m); len(errs) > 0 {
		t.Fatal(errors.Join(errs...))
	}
	return fm, m
}

// newRuntime instantiates rt.wasm against a fresh fake host.
func newRuntime(t *testing.T) (*ir.Instance, *host) {
	t.Helper()
	_, m := lowerRuntime(t)
	h := &host{t: t, descs: map[int32]uint64{}, tables: map[int32]uint64{}, datas: map[int32]uint64{}, elems: map[int32]uint64{}}
	resolve := func(module, name string) (ir.Extern, bool) {
		in, ok := rtlib.Lookup(name)
		if module != rtlib.Module || !ok {
			return ir.Extern{}, false
		}
		return ir.Extern{Kind: ir.ExternFunc, Func: ir.NewHostFunc(in.Sig.Params, in.Sig.Results, h.impl(name))}, true
	}
	inst, err := ir.Instantiate(m, resolve, ir.InterpConfig{})
	if err != nil {
		t.Fatal(err)
	}
	mem, ok := inst.Export("memory")
	if !ok || mem.Kind != ir.ExternMemory {
		t.Fatal("rt.wasm exports no memory")
	}
	h.rt = mem.Memory
	return inst, h
}
