package rtlib

import "github.com/wasmc/wasmc/ir"

// Module is the import module of the intrinsics. It is reserved for the runtime: the
// linker must refuse a user module that imports from it, or the guest could reach the
// host without any check.
const Module = "wasmc"

// Intrinsic is a function the runtime imports from [Module]. Lowering turns each call into
// IR ops (a later change); until then the IR interpreter runs them as host functions.
type Intrinsic struct {
	Name string
	Sig  ir.Signature
	// NoReturn marks an intrinsic that never returns to its caller.
	NoReturn bool
}

// The function table's layout (see the package documentation): a header of two words,
// then entries of three.
const (
	FunctabHeaderSize = 16 // count, end
	FunctabEntrySize  = 24 // start, name address, name length
)

func sig(params []ir.Type, results ...ir.Type) ir.Signature {
	return ir.Signature{Params: params, Results: results}
}

type types = []ir.Type

// Intrinsics returns the intrinsics in a fixed order; the slice is the caller's. Host and
// guest addresses are i64, runtime-memory pointers i32 (the runtime is wasm32).
func Intrinsics() []Intrinsic {
	i32, i64 := ir.I32, ir.I64
	return []Intrinsic{
		// trap(code) stops the wasm execution with trap code (an ir.TrapCode), exactly as
		// an IR trap op does: natively it reaches wasmc_trap through the trap stub, and
		// under the .wast driver it unwinds to the driver.
		{Name: "trap", Sig: sig(types{i32}), NoReturn: true},
		// syscall(nr, a0..a5) makes system call nr, a [Sys], with Linux's arguments and
		// returns the kernel's result, negative errno on error. Pointers in the arguments
		// are host addresses (see rt_host).
		{Name: "syscall", Sig: sig(types{i32, i64, i64, i64, i64, i64, i64}, i64)},
		// host_load64(addr), host_store64(addr, v) and host_load8(addr) access host memory
		// with no check: the runtime is trusted to touch only descriptors, tables, the
		// function table and memory ranges it has bounds-checked. host_store64 must be
		// 8-byte aligned; host_load64 may read any address (both targets load unaligned
		// words from ordinary memory), which lets host_move copy between addresses of
		// different alignment by words; host_load8 zero-extends.
		{Name: "host_load64", Sig: sig(types{i64}, i64)},
		{Name: "host_store64", Sig: sig(types{i64, i64})},
		{Name: "host_load8", Sig: sig(types{i64}, i32)},
		// rt_host(ptr) is the host address of runtime-memory pointer ptr, for the buffers
		// the runtime passes to syscalls. The runtime's memory never moves while it runs.
		{Name: "rt_host", Sig: sig(types{i32}, i64)},
		// memory_descriptor(mem) and table_descriptor(table) are the host addresses of the
		// guest's memory or table descriptor {base, size, max} (backend/doc.go), by index
		// in the linked program's index space.
		{Name: "memory_descriptor", Sig: sig(types{i32}, i64)},
		{Name: "table_descriptor", Sig: sig(types{i32}, i64)},
		// data_descriptor(data) and elem_descriptor(elem) are the host addresses of
		// a passive data segment's descriptor {base, length} (backend.RefData) or an
		// element segment's {base, length, funcrefs} (backend.RefElem): base is the host
		// address of the segment's bytes, or of its 32-bit function indices, and length
		// counts them (the package documentation says what an index stands for).
		// Dropping a segment sets its length to 0; base stays valid.
		{Name: "data_descriptor", Sig: sig(types{i32}, i64)},
		{Name: "elem_descriptor", Sig: sig(types{i32}, i64)},
		// functab() is the host address of the linker's function table, laid out as the
		// package documentation says, or 0 if the program has none.
		{Name: "functab", Sig: sig(nil, i64)},
		// guest_read(dst, src, n) copies n bytes from guest memory 0 at src to runtime
		// memory at dst; guest_write(dst, src, n) copies n bytes from runtime memory at src
		// to guest memory 0 at dst. Both return 0, or -1 without copying anything if the
		// guest range is out of bounds, so that the runtime decides what a bad pointer
		// does (it ends the program with a message, as Wasmtime does).
		{Name: "guest_read", Sig: sig(types{i32, i64, i32}, i32)},
		{Name: "guest_write", Sig: sig(types{i64, i32, i32}, i32)},
		// guest_memory() is the host address of guest memory 0's descriptor {base, size,
		// max}, or 0 if the guest has no memory. WASI calls check a guest range against
		// its size and then hand the host address base+ptr straight to the kernel, so
		// that reads and writes need no copy.
		{Name: "guest_memory", Sig: sig(nil, i64)},
		// config() is the host address of the configuration's descriptor {base, length}
		// (the bytes of [Layout.Config], in the layout c/wasi_config.c reads), or 0 if
		// the program has none.
		{Name: "config", Sig: sig(nil, i64)},
		// wall() is the host address of the descriptor {base, length} of the second
		// wall's data ([Wall], [Layout.Wall]), or 0 if the executable runs without it.
		{Name: "wall", Sig: sig(nil, i64)},
	}
}

// Lookup returns the intrinsic that module [Module] exports under name.
func Lookup(name string) (Intrinsic, bool) {
	for _, in := range Intrinsics() {
		if in.Name == name {
			return in, true
		}
	}
	return Intrinsic{}, false
}
