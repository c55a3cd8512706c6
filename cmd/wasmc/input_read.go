//go:build !linux && !darwin

package main

import "os"

// readInput returns the bytes of the module at path.
func readInput(path string) ([]byte, error) { return os.ReadFile(path) }

// mapInputMin is where readInput would map a module where it can (input_mmap.go).
const mapInputMin = 1 << 20
