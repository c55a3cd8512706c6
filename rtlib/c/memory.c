// memory.c: memory.grow and the bulk memory operations over a memory's descriptor
// {base, size, max} (backend/doc.go), all three in bytes and host addresses.
//
// The reservation contract. Before any wasm code runs, process entry reserves, for each
// memory the program defines, max bytes of address space (or 4 GiB plus the guard region
// when guard pages replace bounds checks) with mmap(PROT_NONE), makes the first size bytes
// read-write and writes {base, size, max} into the descriptor. memory.grow then only
// commits the pages after size with mprotect: base never moves, so code may keep it in a
// register, and the new pages are zero because they were never used before (memories
// never shrink). 64 KiB is a multiple of every host page size we target (4 KiB, 16 KiB),
// so every commit is page-aligned.
#include "wasmc.h"

#define PAGE 65536ull

// Bytes of host memory are read with host_load8 and written by rewriting the aligned
// word that holds them. That word is inside the memory whenever the byte is, because base
// and size are multiples of 64 KiB; the hosts are all little-endian; and nothing runs
// concurrently with the runtime, so the read-modify-write loses no update.
static void store8(uint64_t addr, uint32_t v) {
	uint64_t w = addr & ~7ull;
	unsigned shift = (unsigned)(addr & 7) * 8;
	uint64_t x = wasmc_host_load64(w);
	x = (x & ~(0xffull << shift)) | ((uint64_t)(v & 0xff) << shift);
	wasmc_host_store64(w, x);
}

// The bulk routines do not trap: they return 1, having written nothing, and the
// instruction that called them traps (backend.RuntimeRoutine), so that the trap report
// names the wasm function that executed it rather than the runtime's.
int32_t wasmc_memory_range(int32_t mem, uint64_t addr, uint64_t n, uint64_t *host) {
	uint64_t desc = wasmc_memory_descriptor(mem);
	uint64_t size = wasmc_host_load64(desc + WASMC_DESC_SIZE);
	if (n > size || addr > size - n)
		return 1;
	*host = wasmc_host_load64(desc + WASMC_DESC_BASE) + addr;
	return 0;
}

// wasmc_memory_grow grows memory mem by delta pages (an unsigned 32-bit count) and returns
// the old size in pages, or -1, leaving the memory as it was, if that would pass its max
// or the kernel refuses to commit the pages.
WASMC_EXPORT("wasmc_memory_grow") int32_t wasmc_memory_grow(int32_t mem, int32_t delta) {
	uint64_t desc = wasmc_memory_descriptor(mem);
	uint64_t base = wasmc_host_load64(desc + WASMC_DESC_BASE);
	uint64_t size = wasmc_host_load64(desc + WASMC_DESC_SIZE);
	uint64_t max = wasmc_host_load64(desc + WASMC_DESC_MAX);
	uint64_t pages = (uint32_t)delta;
	if (pages == 0)
		return (int32_t)(size / PAGE);
	if (size > max || pages > (max - size) / PAGE)
		return -1;
	if (wasmc_syscall(WASMC_SYS_mprotect, (int64_t)(base + size), (int64_t)(pages * PAGE),
			  WASMC_PROT_READ | WASMC_PROT_WRITE, 0, 0, 0) < 0)
		return -1;
	wasmc_host_store64(desc + WASMC_DESC_SIZE, size + pages * PAGE);
	return (int32_t)(size / PAGE);
}

// wasmc_memory_fill implements memory.fill: n bytes of value at dst in memory mem. It
// returns 1 for an out-of-bounds range, 0 otherwise. Addresses and lengths are
// zero-extended to 64 bits by the caller, for memory64's sake.
WASMC_EXPORT("wasmc_memory_fill")
int32_t wasmc_memory_fill(int32_t mem, uint64_t dst, int32_t value, uint64_t n) {
	uint64_t a;
	if (wasmc_memory_range(mem, dst, n, &a))
		return 1;
	uint64_t end = a + n;
	uint64_t word = (uint64_t)(uint8_t)value * 0x0101010101010101ull;
	for (; a < end && (a & 7); a++)
		store8(a, (uint32_t)value);
	for (; end - a >= 8; a += 8)
		wasmc_host_store64(a, word);
	for (; a < end; a++)
		store8(a, (uint32_t)value);
	return 0;
}

// wasmc_memory_copy implements memory.copy: n bytes from src in memory srcmem to dst in
// memory dstmem, as if through a temporary buffer (the ranges may overlap). It returns 1
// unless both ranges are inside their memories, 0 otherwise.
WASMC_EXPORT("wasmc_memory_copy")
int32_t wasmc_memory_copy(int32_t dstmem, int32_t srcmem, uint64_t dst, uint64_t src, uint64_t n) {
	uint64_t d, s;
	if (wasmc_memory_range(dstmem, dst, n, &d) || wasmc_memory_range(srcmem, src, n, &s))
		return 1;
	wasmc_host_move(d, s, n);
	return 0;
}

// Whole words move once the destination is aligned, read from the source at whatever
// alignment it then has (both targets load unaligned words from ordinary memory): Go's
// data segments are tens of thousands of short runs at odd addresses, which byte by byte
// took a third of a small test binary's start-up. A word is only read or written when
// all of its bytes are in the range, so the source may end anywhere (a data segment's
// bytes need not fill their last word). Each word is read before anything past it is
// written, in the direction that keeps an overlapping source intact.
void wasmc_host_move(uint64_t d, uint64_t s, uint64_t n) {
	if (d <= s) {
		uint64_t i = 0;
		for (; i < n && ((d + i) & 7); i++)
			store8(d + i, wasmc_host_load8(s + i));
		for (; n - i >= 8; i += 8)
			wasmc_host_store64(d + i, wasmc_host_load64(s + i));
		for (; i < n; i++)
			store8(d + i, wasmc_host_load8(s + i));
		return;
	}
	uint64_t i = n; // backwards, so that an overlapping source is read before it is written
	for (; i > 0 && ((d + i) & 7); i--)
		store8(d + i - 1, wasmc_host_load8(s + i - 1));
	for (; i >= 8; i -= 8)
		wasmc_host_store64(d + i - 8, wasmc_host_load64(s + i - 8));
	for (; i > 0; i--)
		store8(d + i - 1, wasmc_host_load8(s + i - 1));
}
