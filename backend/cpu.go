package backend

import (
	"fmt"
	"strings"
)

// CPU is the processor level the code is generated for (DESIGN.md decision 12, --cpu):
// the code depends on it and never on the build host, and process entry refuses a
// processor below it. Each architecture names its own levels; the zero value is its
// baseline.
type CPU uint8

const (
	// CPUBaseline is x86-64-v2 on amd64 (SSE4.2, POPCNT) and Armv8.0-A on arm64.
	CPUBaseline CPU = iota
	// CPUX8664V3 is x86-64-v3 (amd64 only): the baseline plus AVX2, BMI1, BMI2, LZCNT,
	// MOVBE and FMA, which the scalar code uses for lzcnt, tzcnt, shlx, shrx, sarx, rorx
	// and andn.
	CPUX8664V3
)

// cpuNames are each architecture's level names, indexed by CPU. arm64 has one level
// until the arm64 backend selects anything beyond Armv8.0-A.
var cpuNames = map[Arch][]string{
	ArchAMD64: {CPUBaseline: "x86-64-v2", CPUX8664V3: "x86-64-v3"},
	ArchARM64: {CPUBaseline: "armv8.0-a"},
}

// CPUNames returns the level names of a, the baseline's first.
func CPUNames(a Arch) []string { return append([]string(nil), cpuNames[a]...) }

// ParseCPU reads --cpu for architecture a: "" is the baseline; an unknown name is an
// error listing a's levels.
func ParseCPU(a Arch, name string) (CPU, error) {
	if name == "" {
		return CPUBaseline, nil
	}
	for i, n := range cpuNames[a] {
		if n == name {
			return CPU(i), nil
		}
	}
	return 0, fmt.Errorf("--cpu %q: the levels for %v are %s", name, a, strings.Join(cpuNames[a], ", "))
}

// Name returns c's name on architecture a, as --cpu spells it.
func (c CPU) Name(a Arch) string {
	if names := cpuNames[a]; int(c) < len(names) {
		return names[c]
	}
	return fmt.Sprintf("CPU(%d)", uint8(c))
}
