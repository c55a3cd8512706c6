// Package wasifixture describes the world the WASI test programs of
// testdata/programs/wasi run in, and what they must print there.
//
// A fixture (fixture.txt) is a directory tree, the directories preopened from
// it, the arguments, the environment and standard input. Build creates the
// tree; Snapshot records everything outside the preopened directories so that a
// test can show that a run changed nothing there, whatever the program tried.
//
// A golden file (NAME.golden beside NAME.wasm) holds, for each run of the
// program, the standard output and exit status that Wasmtime gives (recorded
// by bench/wasiref). wasmc's tests run the same program under the same fixture
// and compare. The package is shared by those tests and by wasiref so that both
// build the same world.
package wasifixture
