// Package rtlib owns the runtime that every compiled program links with (DESIGN.md decision
// 6): its C sources in c/, the rt.wasm built from them and committed ([Wasm]), and
// rt_darwin.wasm, the same sources built for darwin ([WasmFor]: Darwin's flags, structures
// and errno numbers, c/host_darwin.h and c/darwin.c), the intrinsics through which it
// reaches the guest and the host ([Intrinsics], [Lookup]), the symbolic syscall numbers it
// uses ([Sys]), and the per-OS/arch tables that lowering translates those numbers with:
// Linux's system call numbers, darwin's libSystem functions ([SyscallNumbers],
// [DarwinImports]).
//
// The runtime is ordinary freestanding C compiled to wasm32 by `go generate ./rtlib`
// (clang-19, no libc), so it goes through the same pipeline as every module, on every
// target. It keeps its own linear memory, which the guest can never address; what it needs
// beyond that memory it asks for through intrinsics imported from module "wasmc", which
// lowering turns into IR ops. Its exports are the routines the backend calls
// (backend.RuntimeRoutine): wasmc_trap; wasmc_memory_grow, wasmc_memory_fill,
// wasmc_memory_copy and wasmc_memory_init; wasmc_table_grow, wasmc_table_fill,
// wasmc_table_copy and wasmc_table_init. The native .wast driver (DESIGN.md decision 11)
// also calls wasmc_driver_value, wasmc_driver_done, wasmc_driver_trap and
// wasmc_driver_exit, which report each command as one line on stdout ("ok" and the
// results' bit patterns in hex, or "trap" and the trap code; c/driver.c).
//
// Process entry calls wasmc_wall after the runtime's start-up and before any guest code:
// it raises the second wall (DESIGN.md decision 13) from the data [Wall] built for the
// target, which the wall intrinsic describes ([Layout.Wall]); c/wall.c says how. A test
// build also calls wasmc_wall_probe after it, which does what the wall forbids.
//
// An executable built with `wasmc build --invoke NAME` calls export NAME with its command
// line's arguments and prints its results (c/invoke.c). Process entry calls
// wasmc_args_init(sp) first, with the initial stack pointer (argc, then argv[], as the
// Linux x86-64 and arm64 ABIs lay them out). The generated code then calls
// wasmc_invoke_argc, and wasmc_invoke_usage(want) if the count is wrong;
// wasmc_invoke_arg(i, type) for each parameter, which parses argument i (0 is the first
// after the program's name) and returns its bits, zero-extended for i32 and f32; and
// wasmc_invoke_result(type, bits) for each result, which writes it on a line of its own to
// stdout. Types are numbered 0 to 3 for i32, i64, f32 and f64 (WASMC_INVOKE_* in
// c/wasmc.h). Integers are read in decimal or 0x hex, signed or unsigned, and written in
// signed decimal; floats are read as decimal or hex floats, inf, nan and nan:0xPAYLOAD,
// rounded correctly, and written as the shortest decimal that reads back the same, spelled
// as strconv.FormatFloat(x, 'g', -1, bits) spells it, but with inf, nan and nan:0xPAYLOAD
// for the specials. A wrong argument count or a malformed argument writes one line to
// stderr and exits with status 2.
//
// # Memory reservation contract
//
// A memory's descriptor is {base, size, max, reserve} in host memory, all in bytes
// (ir.MemDescSize). Process entry reserves reserve bytes (max, or 6 GiB for a memory that
// relies on guard pages) with mmap(PROT_NONE) and makes the first size bytes read-write; wasmc_memory_grow commits further pages with mprotect and updates size.
// The base never moves and pages are zero when committed (memories never shrink).
//
// # Segments and tables
//
// A passive data segment's descriptor is {base, length}: base is the host address of its
// bytes and length counts them. An element segment's is {base, length, funcrefs}: base is
// the host address of its elements, 32-bit function indices (0xffffffff for null), and
// table.init turns index f into the reference funcrefs + 16*f (backend.ElemDescSize).
// Dropping a segment sets the length to 0, so a dropped segment is an empty one. A table's
// descriptor is {base, size, max, budget}, the first three in elements: max is the
// capacity the linker reserved at base, so table.grow needs no system call, and budget
// the address of the count of elements all the program's tables may still grow by
// together (--max-table-elements; ir.TableDescSize).
//
// # Function table
//
// functab returns the host address of the linker's table of function addresses, which
// trap reports use to name the function a pc falls in. Its layout, in 64-bit
// little-endian words: count, then end (the first address after the last function's
// code), then count entries of three words each, {start address, name address, name
// length in bytes}, sorted by start address with no two equal. A pc belongs to entry i
// when start(i) <= pc < start(i+1), or end for the last entry. Names are bytes without
// the leading $.
//
// rtlib imports only ir. Its tests need only Go: they run rt.wasm under the IR interpreter
// with the intrinsics played by Go host functions.
package rtlib
