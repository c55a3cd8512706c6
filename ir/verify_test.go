package ir

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestVerify runs the verifier on each testdata/verify case, whose in.ir parses but is
// invalid, and compares the errors, one per line, with want.errors.
func TestVerify(t *testing.T) {
	for _, path := range glob(t, "testdata/verify/*.txtar") {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(string(a.Comment)) == "" {
				t.Errorf("%s: the comment must say why the case exists", path)
			}
			m, err := Parse(section(t, a, "in.ir"))
			if err != nil {
				t.Fatalf("%s: in.ir:%v", path, err)
			}
			errs := VerifyModule(m)
			if len(errs) == 0 {
				t.Errorf("%s: in.ir verifies, but every case must fail", path)
			}
			for _, err := range errs {
				var ve *VerifyError
				if !errors.As(err, &ve) {
					t.Errorf("error %v is a %T, want *VerifyError", err, err)
				}
			}
			checkSection(t, path, a, "want.errors", errorLines(errs))
		})
	}
}
