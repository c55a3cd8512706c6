//go:build !linux && !darwin

package main

// maxRSS returns 0: this system's peak memory is not known to wasmc.
func maxRSS() int64 { return 0 }
