package backend

import "strconv"

// routines describes each runtime routine once (STYLE §4: one name table per enum, as
// debug/elf keeps): its name in dumps and the export of the runtime (rtlib's rt.wasm, DESIGN.md
// decision 6) that implements it. The driver binds routines to functions by export
// ([Runtime.RoutineFunc]); dumps print a call to one as rt.NAME.
var routines = [NumRuntimeRoutines]struct{ name, export string }{
	// The trap routine is the ISA's own (ISA.Runtime): it unwinds to a .wast driver or
	// passes the trap site to the runtime's wasmc_trap (EntryConfig.Trap), so no export
	// implements it directly.
	RtTrap:       {"trap", ""},
	RtMemoryGrow: {"memory_grow", "wasmc_memory_grow"},
	RtMemoryFill: {"memory_fill", "wasmc_memory_fill"},
	RtMemoryCopy: {"memory_copy", "wasmc_memory_copy"},
	RtMemoryInit: {"memory_init", "wasmc_memory_init"},
	RtTableGrow:  {"table_grow", "wasmc_table_grow"},
	RtTableFill:  {"table_fill", "wasmc_table_fill"},
	RtTableCopy:  {"table_copy", "wasmc_table_copy"},
	RtTableInit:  {"table_init", "wasmc_table_init"},
}

// String returns the routine's name in dumps, such as "memory_grow".
func (r RuntimeRoutine) String() string {
	if r < NumRuntimeRoutines {
		return routines[r].name
	}
	return "routine(" + strconv.FormatUint(uint64(r), 10) + ")"
}

// Export returns the name of the runtime's export that implements r, which the driver binds
// through [Runtime.RoutineFunc], or "" when the ISA's runtime code implements it (RtTrap).
func (r RuntimeRoutine) Export() string {
	if r < NumRuntimeRoutines {
		return routines[r].export
	}
	return ""
}
