package wat

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// suiteDir is the WebAssembly 2.0 spec test suite, shared by the team outside the repo.
const suiteDir = "../../../shared/spec/wasm-2.0"

// suiteFiles returns the suite's scripts, skipping the test when the suite is absent.
func suiteFiles(t testing.TB) []string {
	files, _ := filepath.Glob(filepath.Join(suiteDir, "*.wast"))
	if len(files) == 0 {
		t.Skipf("spec suite not found at %s", suiteDir)
	}
	return files
}

// TestSuite is the package's acceptance: every script of the spec suite parses, every
// assert_malformed quote module is a syntax error, and every other text or quote module
// loads (assert_invalid modules included: they are well formed, only ill typed).
func TestSuite(t *testing.T) {
	var scripts, malformed, rejected, loaded, textModules, msgMatch int
	for _, file := range suiteFiles(t) {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := ParseScript(filepath.Base(file), src)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		scripts++
		for _, cmd := range sc.Commands {
			d := cmd.Module
			if d == nil || d.Kind == ModuleBinary {
				continue
			}
			m, err := d.Load()
			if cmd.Kind == CmdAssertMalformed {
				malformed++
				var se *SyntaxError
				switch {
				case err == nil:
					t.Errorf("%s:%d:%d: assert_malformed (%q) loaded", sc.File, cmd.Line, cmd.Col, cmd.Text)
				case !errors.As(err, &se):
					t.Errorf("%s:%d:%d: assert_malformed: error %T, want *SyntaxError: %v", sc.File, cmd.Line, cmd.Col, err, err)
				default:
					rejected++
					if strings.Contains(se.Msg, cmd.Text) {
						msgMatch++
					}
				}
				continue
			}
			textModules++
			if err != nil {
				t.Errorf("%s:%d:%d: %v module does not load: %v", sc.File, cmd.Line, cmd.Col, cmd.Kind, err)
				continue
			}
			if m == nil {
				t.Errorf("%s:%d:%d: nil module without error", sc.File, cmd.Line, cmd.Col)
				continue
			}
			loaded++
		}
	}
	t.Logf("%d scripts parsed; %d/%d malformed quote modules rejected (%d with the spec's message); %d/%d text modules loaded",
		scripts, rejected, malformed, msgMatch, loaded, textModules)
}
