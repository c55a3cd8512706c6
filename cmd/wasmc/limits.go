package main

import (
	"fmt"

	"github.com/spf13/pflag"
	"github.com/wasmc/wasmc/backend"
)

// limitFlags are --max-memory and --max-table-elements (driver.Options.MaxMemory,
// MaxTableElems), as Wasmtime has -W max-memory-size and max-table-elements: what a
// program may commit of the host's memory through its memories and tables. They are
// baked into the executable, and so part of `wasmc run`'s cache key.
type limitFlags struct {
	memory string
	tables uint64
}

func (l *limitFlags) register(f *pflag.FlagSet) {
	f.StringVar(&l.memory, "max-memory", "4GiB", "let a memory hold at most `SIZE` bytes (such as 512M or 1GiB: K, M and G are powers of 1024; a multiple of 64KiB): memory.grow past it returns -1, and a module declaring more fails to instantiate")
	f.Uint64Var(&l.tables, "max-table-elements", backend.DefaultMaxTableElems, "let a module's tables hold at most `N` elements, each and all together (8 bytes each): table.grow past it returns -1, and a module declaring more fails to instantiate")
}

// values returns the limits in bytes and elements.
func (l *limitFlags) values() (memory, tables uint64, err error) {
	n, err := parseSize(l.memory) // as WASMC_CACHE_MAX: 512M, 512MiB, 4G, 65536
	memory = uint64(n)
	switch {
	case err != nil:
		return 0, 0, fmt.Errorf("--max-memory %q: %w", l.memory, err)
	case memory%65536 != 0 || memory == 0 || memory > backend.DefaultMaxMemory:
		return 0, 0, fmt.Errorf("--max-memory %q: want a multiple of 64KiB from 64KiB to 4GiB", l.memory)
	case l.tables == 0 || l.tables > 1<<32-1:
		return 0, 0, fmt.Errorf("--max-table-elements %d: want 1 to 4294967295", l.tables)
	}
	return memory, l.tables, nil
}
