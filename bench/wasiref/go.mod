module github.com/wasmc/wasmc/bench/wasiref

go 1.26.8

require (
	github.com/bytecodealliance/wasmtime-go/v39 v39.0.1
	github.com/wasmc/wasmc v0.0.0
)

require golang.org/x/tools v0.52.0 // indirect

// The fixture and golden formats are wasmc's own (internal/wasifixture), so that this
// reference runner and wasmc's tests build the same world.
replace github.com/wasmc/wasmc => ../..
