// table.c: table.grow, table.fill, table.copy and table.init over a table's descriptor
// {base, size, max} (backend/doc.go): size and max count 8-byte references at base, and
// max is the capacity the linker reserved, so growing only writes elements and the size.
// Indices and counts are zero-extended to 64 bits by the caller; with the checks below
// nothing wraps, and a trapping operation has written nothing (WebAssembly 2.0).
#include "wasmc.h"

// elements returns the host address of element i of table, trapping with oob_table unless
// [i, i+n) is inside the table's current size.
static uint64_t elements(int32_t table, uint64_t i, uint64_t n) {
	uint64_t desc = wasmc_table_descriptor(table);
	uint64_t size = wasmc_host_load64(desc + WASMC_DESC_SIZE);
	if (n > size || i > size - n)
		wasmc_intr_trap(WASMC_TRAP_oob_table);
	return wasmc_host_load64(desc + WASMC_DESC_BASE) + i * WASMC_REF_SIZE;
}

// wasmc_table_grow implements table.grow: it appends delta elements (an unsigned 32-bit
// count) holding ref to table and returns the old size, or returns -1 and changes nothing
// if the new size would pass max.
WASMC_EXPORT("wasmc_table_grow")
int32_t wasmc_table_grow(int32_t table, uint64_t ref, int32_t delta) {
	uint64_t desc = wasmc_table_descriptor(table);
	uint64_t base = wasmc_host_load64(desc + WASMC_DESC_BASE);
	uint64_t size = wasmc_host_load64(desc + WASMC_DESC_SIZE);
	uint64_t max = wasmc_host_load64(desc + WASMC_DESC_MAX);
	uint64_t n = (uint32_t)delta;
	if (size > max || n > max - size)
		return -1;
	// The elements first, so that the size never covers one that is not yet written.
	for (uint64_t i = size; i < size + n; i++)
		wasmc_host_store64(base + i * WASMC_REF_SIZE, ref);
	wasmc_host_store64(desc + WASMC_DESC_SIZE, size + n);
	return (int32_t)size;
}

// wasmc_table_fill implements table.fill: n elements of table from i on are set to ref.
// It traps with oob_table unless i+n <= the table's size.
WASMC_EXPORT("wasmc_table_fill")
void wasmc_table_fill(int32_t table, uint64_t i, uint64_t ref, uint64_t n) {
	uint64_t a = elements(table, i, n);
	for (uint64_t k = 0; k < n; k++)
		wasmc_host_store64(a + k * WASMC_REF_SIZE, ref);
}

// wasmc_table_copy implements table.copy: n elements from s in srctable to d in dsttable,
// as if through a temporary buffer (the ranges may overlap). It traps with oob_table
// unless both ranges are inside their tables' sizes.
WASMC_EXPORT("wasmc_table_copy")
void wasmc_table_copy(int32_t dsttable, int32_t srctable, uint64_t d, uint64_t s, uint64_t n) {
	uint64_t to = elements(dsttable, d, n), from = elements(srctable, s, n);
	wasmc_host_move(to, from, n * WASMC_REF_SIZE);
}

// wasmc_table_init implements table.init: n elements of element segment elem from offset s
// to table at d. It traps with oob_table unless s+n <= the segment's length and d+n <= the
// table's size; elem.drop sets the length to 0, so a dropped segment is an empty one.
// A segment holds 32-bit function indices, ^0 for null, in whole 64-bit words; index f
// becomes the reference funcrefs + 16*f. The ranges cannot overlap: a segment is read-only.
WASMC_EXPORT("wasmc_table_init")
void wasmc_table_init(int32_t table, int32_t elem, uint64_t d, uint64_t s, uint64_t n) {
	uint64_t desc = wasmc_elem_descriptor(elem);
	uint64_t length = wasmc_host_load64(desc + WASMC_SEG_LENGTH);
	if (n > length || s > length - n)
		wasmc_intr_trap(WASMC_TRAP_oob_table);
	uint64_t to = elements(table, d, n);
	uint64_t base = wasmc_host_load64(desc + WASMC_SEG_BASE);
	uint64_t refs = wasmc_host_load64(desc + WASMC_SEG_FUNCREFS);
	for (uint64_t k = 0; k < n; k++) {
		uint64_t j = s + k;
		uint32_t f = (uint32_t)(wasmc_host_load64(base + (j >> 1) * 8) >> ((j & 1) * 32));
		uint64_t ref = f == WASMC_NULL_FUNC ? 0 : refs + (uint64_t)f * WASMC_FUNCREF_SIZE;
		wasmc_host_store64(to + k * WASMC_REF_SIZE, ref);
	}
}
