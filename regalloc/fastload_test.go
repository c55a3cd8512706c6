package regalloc

import "testing"

// TestLoadClassifies: when f is a DenseFunc, RunFast's load classifies the operands and
// classify walks only the branch arguments (issue 21), unless a use is laid out before its
// definition, when classify walks the operands itself; either way the allocation is the
// one RunFast makes reading f through the per-item methods.
func TestLoadClassifies(t *testing.T) {
	for _, tc := range []struct {
		file   string
		loaded bool
	}{
		{"branch_args.txtar", true},
		{"call_clobbers.txtar", true},
		{"div_fixed.txtar", true},
		{"loop.txtar", true},
		{"layout_use_before_def.txtar", false},
	} {
		_, cfg, tf := goldenFile(t, "testdata/"+tc.file)
		x := &fastAlloc{allocator: allocator{f: &denseFunc{testFunc: tf}, cfg: cfg, argless: true}}
		x.adoptResult()
		r, err := x.run()
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if x.loaded != tc.loaded {
			t.Errorf("%s: classified by the load: %v, want %v", tc.file, x.loaded, tc.loaded)
		}
		want, err := RunFast(tf, cfg)
		if err != nil {
			t.Fatalf("%s: through the per-item methods: %v", tc.file, err)
		}
		if got, want := tf.format(cfg, r), tf.format(cfg, want); got != want {
			t.Errorf("%s: through DenseFunc:\n%s\nwant\n%s", tc.file, got, want)
		}
	}
}
