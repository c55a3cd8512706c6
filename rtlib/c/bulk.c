// bulk.c: memory.init, copying from a passive data segment into a linear memory. The
// segment's descriptor is {base, length} (wasmc.h, WASMC_SEG_*); its bytes stay where the
// linker put them, and data.drop only sets the length to 0, so a dropped segment behaves as
// an empty one.
#include "wasmc.h"

// wasmc_memory_init implements memory.init: n bytes of data segment data from offset src
// to memory mem at dst. It returns 1, having written nothing, unless src+n <= the
// segment's length and dst+n <= the memory's size (so n == 0 passes at either end and
// fails past it), and the caller traps with oob_memory (memory.c); 0 otherwise. Offsets
// and the count are zero-extended to 64 bits by the caller and compared without ever
// wrapping.
WASMC_EXPORT("wasmc_memory_init")
int32_t wasmc_memory_init(int32_t mem, int32_t data, uint64_t dst, uint64_t src, uint64_t n) {
	uint64_t desc = wasmc_data_descriptor(data);
	uint64_t length = wasmc_host_load64(desc + WASMC_SEG_LENGTH), d;
	if (n > length || src > length - n || wasmc_memory_range(mem, dst, n, &d))
		return 1;
	// A segment never overlaps a memory, so the direction wasmc_host_move picks is moot.
	wasmc_host_move(d, wasmc_host_load64(desc + WASMC_SEG_BASE) + src, n);
	return 0;
}
