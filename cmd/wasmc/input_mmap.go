//go:build linux || darwin

package main

import (
	"os"
	"syscall"
)

// mapInputMin is the size from which readInput maps a module rather than reading it.
const mapInputMin = 1 << 20

// readInput returns the bytes of the module at path. A large regular file is mapped
// rather than read, as linkers map their inputs: reading copied it into as many fresh
// pages of the heap, each faulted in (4 000 for a 16 MB module, some 15 ms), before any
// decoding began, while a mapping shares the page cache's pages, a fault for every 16
// of them. The mapping is private and writable, so that nothing the compiler might
// write reaches the file, and is never unmapped: the build's structures point into it
// until the process exits. As with any linker that maps its inputs, truncating the file
// during the build crashes it.
func readInput(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() < mapInputMin || int64(int(fi.Size())) != fi.Size() {
		return os.ReadFile(path)
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	if err != nil {
		return os.ReadFile(path)
	}
	return b, nil
}
