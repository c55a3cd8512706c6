//go:build !linux

package main

import "os"

// isTerminal reports whether f is a character device, which on a system where wasmc does
// not ask the terminal driver is the best guess at a terminal.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
