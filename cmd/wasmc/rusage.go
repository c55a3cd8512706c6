//go:build linux || darwin

package main

import (
	"runtime"
	"syscall"
)

// maxRSS returns the peak resident set size of the process in bytes, or 0 if unknown.
func maxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return ru.Maxrss // bytes on macOS, kilobytes on Linux (getrusage(2))
	}
	return ru.Maxrss * 1024
}
