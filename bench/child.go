package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// compileChildFlag starts the hidden mode in which this binary only compiles
// one module with wazero or Wasmtime and exits: the large part runs the
// engines so, each in a process of its own, so that their peak RSS and CPU
// time are measured like wasmc's and not mixed with the harness's.
const compileChildFlag = "-compile-child"

// compileChild compiles the module arg names ("wazero:PATH" or
// "wasmtime:PATH") and returns the exit status: 0 if it compiled.
func compileChild(arg string) int {
	engine, path, _ := strings.Cut(arg, ":")
	wasm, err := os.ReadFile(path)
	if err == nil {
		switch engine {
		case "wazero":
			_, err = wazeroCompile(wasm)
		case "wasmtime":
			_, err = wasmtimeCompile(wasm)
		default:
			err = fmt.Errorf("unknown engine %q", engine)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s %s: %v\n", compileChildFlag, arg, err)
		return 1
	}
	return 0
}

// usage is what one process cost.
type usage struct {
	wall, cpu time.Duration
	maxRSS    int64 // bytes
}

// runMeasured runs cmd to completion and reads its cost from the kernel's
// accounting of the exited process (wait4's rusage), through the launcher
// (launcher.go) when one runs, so that its peak RSS is its own.
func runMeasured(cmd *exec.Cmd) (usage, error) {
	if theLauncher != nil {
		return theLauncher.run(cmd)
	}
	_, wall, err := runTimed(cmd)
	if err != nil {
		return usage{}, err
	}
	return usageOf(cmd.ProcessState, wall), nil
}

// usageOf reads what an exited process cost.
func usageOf(ps *os.ProcessState, wall time.Duration) usage {
	u := usage{wall: wall, cpu: ps.UserTime() + ps.SystemTime()}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		u.maxRSS = int64(ru.Maxrss) * 1024 // Linux counts kilobytes
	}
	return u
}
