package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/wasmc/wasmc/internal/runexe"
	"github.com/wasmc/wasmc/internal/targets"
	"github.com/wasmc/wasmc/internal/targettest"
)

// otherArch is the architecture whose wasmc TestHostIndependence compares with this one.
var otherArch = map[string]string{"amd64": "arm64", "arm64": "amd64"}

// TestHostIndependence builds wasmc itself for the other architecture (arm64 on an amd64
// host), runs it under qemu, and has it build the WASI C probe (-O0 and -O2, with
// capabilities baked in) and the large Go module (-O2) for every target it generates code
// for, the experimental darwin ones included: its executables must be byte for byte those
// this host's wasmc builds (DESIGN.md decisions 9 and 12: output depends on the input and
// the flags, never on the host). Constant folding
// is where a host could show through (Go fuses x*y+z into one rounding on arm64, not on
// amd64), and -O2 folds. -short skips it: the large module takes about 50 s under qemu
// per target.
func TestHostIndependence(t *testing.T) {
	if testing.Short() {
		t.Skip("builds wasmc for another architecture and compiles a 6.5 MB module under qemu per target")
	}
	other := otherArch[runtime.GOARCH]
	if runtime.GOOS != "linux" || other == "" {
		t.Skipf("needs a linux/amd64 or linux/arm64 host, this is %s", hostTarget())
	}
	r, err := runexe.For(other)
	if err != nil {
		targettest.Missing(t, err)
	}
	dir := t.TempDir()
	wasmc := filepath.Join(dir, "wasmc-"+other)
	start := time.Now()
	gobuild := exec.Command("go", "build", "-o", wasmc, ".")
	gobuild.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+other, "CGO_ENABLED=0")
	if out, err := gobuild.CombinedOutput(); err != nil {
		t.Fatalf("go build for linux/%s: %v\n%s", other, err, out)
	}
	t.Logf("go build for linux/%s: %.1f s", other, time.Since(start).Seconds())

	programs := filepath.Join("..", "..", "testdata", "programs")
	sandbox := t.TempDir() // --dir must exist when wasmc builds
	builds := []struct {
		name string
		args []string
		arch string // the one architecture whose targets take args, or "" for all
	}{
		{"wasi-c-O0", []string{filepath.Join(programs, "wasi", "c", "main.wasm"), "-O0", "--dir", sandbox + "::/sandbox", "--env", "K=v"}, ""},
		{"wasi-c-O2", []string{filepath.Join(programs, "wasi", "c", "main.wasm"), "-O2", "--dir", sandbox + "::/sandbox", "--env", "K=v"}, ""},
		{"gobig-O2", []string{filepath.Join(programs, "gobig", "gobig.wasm"), "-O2", "--trap-unknown-imports"}, ""},
		// The processor level is the flag's, never the host's (DESIGN.md decision 12).
		{"wasi-c-O2-v3", []string{filepath.Join(programs, "wasi", "c", "main.wasm"), "-O2", "--cpu", "x86-64-v3", "--dir", sandbox + "::/sandbox"}, "amd64"},
	}
	for _, tg := range targets.All() {
		t.Run(tg.Name, func(t *testing.T) {
			if !tg.Experimental() { // darwin's Mach-O files must not depend on the host either
				targettest.NeedISA(t, tg)
			}
			for _, b := range builds {
				if b.arch != "" && b.arch != tg.Arch.String() {
					continue
				}
				args := append([]string{"build", "--target", tg.Name}, b.args...)
				here := filepath.Join(t.TempDir(), b.name)
				if _, errs, code := runCLI(t, append(args, "-o", here)...); code != 0 {
					t.Fatalf("%s: wasmc build: exit %d: %s", b.name, code, errs)
				}
				there := filepath.Join(t.TempDir(), b.name+"-"+other)
				start := time.Now()
				c := r.Command(wasmc, append(args, "-o", there)...)
				if out, err := c.CombinedOutput(); err != nil {
					t.Fatalf("%s: linux/%s wasmc build: %v\n%s", b.name, other, err, out)
				}
				a, _ := os.ReadFile(here)
				o, _ := os.ReadFile(there)
				if len(a) == 0 || !bytes.Equal(a, o) {
					t.Errorf("%s: the linux/%s wasmc built %d bytes that differ from this host's %d", b.name, other, len(o), len(a))
				} else {
					t.Logf("%s: %d bytes, identical (linux/%s wasmc: %.1f s)", b.name, len(a), other, time.Since(start).Seconds())
				}
			}
		})
	}
}
