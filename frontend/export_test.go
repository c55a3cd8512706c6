package frontend

// DecodeWith makes Decode decode a code section of at least min bytes with workers
// goroutines until restore is called, for the tests of decoding in parallel.
func DecodeWith(min, workers int) (restore func()) {
	oldMin, oldN := parallelCodeMin, codeDecoders
	parallelCodeMin, codeDecoders = min, func() int { return workers }
	return func() { parallelCodeMin, codeDecoders = oldMin, oldN }
}
