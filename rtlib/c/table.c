// table.c: table.grow, table.fill, table.copy and table.init over a table's descriptor
// {base, size, max, budget} (backend/doc.go): size and max count 8-byte references at base, and
// max is the capacity the linker reserved, so growing only writes elements and the size.
// Indices and counts are zero-extended to 64 bits by the caller; with the checks below
// nothing wraps, and a trapping operation has written nothing (WebAssembly 2.0). The
// routines do not trap themselves: out of bounds they return 1 and the instruction that
// called them traps with oob_table, in the wasm function that executed it (memory.c).
#include "wasmc.h"

// elements sets *host to the host address of element i of table and returns 0, or returns
// 1 unless [i, i+n) is inside the table's current size.
static int32_t elements(int32_t table, uint64_t i, uint64_t n, uint64_t *host) {
	uint64_t desc = wasmc_table_descriptor(table);
	uint64_t size = wasmc_host_load64(desc + WASMC_DESC_SIZE);
	if (n > size || i > size - n)
		return 1;
	*host = wasmc_host_load64(desc + WASMC_DESC_BASE) + i * WASMC_REF_SIZE;
	return 0;
}

// wasmc_table_grow implements table.grow: it appends delta elements (an unsigned 32-bit
// count) holding ref to table and returns the old size, or returns -1 and changes nothing
// if the new size would pass max or the tables' budget has less than delta left.
WASMC_EXPORT("wasmc_table_grow")
int32_t wasmc_table_grow(int32_t table, uint64_t ref, int32_t delta) {
	uint64_t desc = wasmc_table_descriptor(table);
	uint64_t base = wasmc_host_load64(desc + WASMC_DESC_BASE);
	uint64_t size = wasmc_host_load64(desc + WASMC_DESC_SIZE);
	uint64_t max = wasmc_host_load64(desc + WASMC_DESC_MAX);
	uint64_t budget = wasmc_host_load64(desc + WASMC_DESC_BUDGET);
	uint64_t left = wasmc_host_load64(budget);
	uint64_t n = (uint32_t)delta;
	if (size > max || n > max - size || n > left)
		return -1;
	wasmc_host_store64(budget, left - n);
	// The elements first, so that the size never covers one that is not yet written.
	for (uint64_t i = size; i < size + n; i++)
		wasmc_host_store64(base + i * WASMC_REF_SIZE, ref);
	wasmc_host_store64(desc + WASMC_DESC_SIZE, size + n);
	return (int32_t)size;
}

// wasmc_table_fill implements table.fill: n elements of table from i on are set to ref.
// It returns 1 unless i+n <= the table's size, 0 otherwise.
WASMC_EXPORT("wasmc_table_fill")
int32_t wasmc_table_fill(int32_t table, uint64_t i, uint64_t ref, uint64_t n) {
	uint64_t a;
	if (elements(table, i, n, &a))
		return 1;
	for (uint64_t k = 0; k < n; k++)
		wasmc_host_store64(a + k * WASMC_REF_SIZE, ref);
	return 0;
}

// wasmc_table_copy implements table.copy: n elements from s in srctable to d in dsttable,
// as if through a temporary buffer (the ranges may overlap). It returns 1 unless both
// ranges are inside their tables' sizes, 0 otherwise.
WASMC_EXPORT("wasmc_table_copy")
int32_t wasmc_table_copy(int32_t dsttable, int32_t srctable, uint64_t d, uint64_t s, uint64_t n) {
	uint64_t to, from;
	if (elements(dsttable, d, n, &to) || elements(srctable, s, n, &from))
		return 1;
	wasmc_host_move(to, from, n * WASMC_REF_SIZE);
	return 0;
}

// wasmc_table_init implements table.init: n elements of element segment elem from offset s
// to table at d. It returns 1 unless s+n <= the segment's length and d+n <= the table's
// size, 0 otherwise; elem.drop sets the length to 0, so a dropped segment is an empty one.
// A segment holds 32-bit function indices, ^0 for null, in whole 64-bit words; index f
// becomes the reference funcrefs + 16*f. The ranges cannot overlap: a segment is read-only.
WASMC_EXPORT("wasmc_table_init")
int32_t wasmc_table_init(int32_t table, int32_t elem, uint64_t d, uint64_t s, uint64_t n) {
	uint64_t desc = wasmc_elem_descriptor(elem);
	uint64_t length = wasmc_host_load64(desc + WASMC_SEG_LENGTH), to;
	if (n > length || s > length - n || elements(table, d, n, &to))
		return 1;
	uint64_t base = wasmc_host_load64(desc + WASMC_SEG_BASE);
	uint64_t refs = wasmc_host_load64(desc + WASMC_SEG_FUNCREFS);
	for (uint64_t k = 0; k < n; k++) {
		uint64_t j = s + k;
		uint32_t f = (uint32_t)(wasmc_host_load64(base + (j >> 1) * 8) >> ((j & 1) * 32));
		uint64_t ref = f == WASMC_NULL_FUNC ? 0 : refs + (uint64_t)f * WASMC_FUNCREF_SIZE;
		wasmc_host_store64(to + k * WASMC_REF_SIZE, ref);
	}
	return 0;
}
