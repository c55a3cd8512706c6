package rtlib_test

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/rtlib"
)

// goDarwinConsts reads the integer constants of Go's darwin tables for arch from GOROOT
// (x/sys/unix's, vendored for cmd, which has the AT_* and CLOCK_* ones as well), an
// independent source generated from Apple's headers (issue 18).
func goDarwinConsts(t *testing.T, arch string) map[string]int64 {
	t.Helper()
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	re := regexp.MustCompile(`(?m)^\s+([A-Z][A-Z0-9_]*)\s+=\s+(?:[A-Za-z.]+\()?(-?0x[0-9a-fA-F]+|-?[0-9]+)\)?\s*$`)
	consts := map[string]int64{}
	// zerrors has the flags and errno numbers; ztypes the AT_* values.
	for _, file := range []string{"zerrors", "ztypes"} {
		path := filepath.Join(strings.TrimSpace(string(goroot)), "src", "cmd", "vendor", "golang.org", "x", "sys", "unix", file+"_darwin_"+arch+".go")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			v, err := strconv.ParseInt(m[2], 0, 64)
			if err != nil {
				t.Fatalf("%s: %s = %s: %v", path, m[1], m[2], err)
			}
			consts[m[1]] = v
		}
	}
	if len(consts) < 500 {
		t.Fatalf("darwin/%s: only %d constants read", arch, len(consts))
	}
	return consts
}

// TestDarwinConstants checks the darwin runtime's constants (c/host_darwin.h, the errno
// table of c/wasi_core.c, strerror.c's numbers, Config's open flags) against Go's darwin tables for both
// architectures, which Apple's headers give the same values.
func TestDarwinConstants(t *testing.T) {
	hdr, err := os.ReadFile("c/host_darwin.h")
	if err != nil {
		t.Fatal(err)
	}
	core, err := os.ReadFile("c/wasi_core.c")
	if err != nil {
		t.Fatal(err)
	}
	wasiH, err := os.ReadFile("c/wasi.h")
	if err != nil {
		t.Fatal(err)
	}
	defines := regexp.MustCompile(`(?m)^#define ([LD]_[A-Z0-9_]+) \(?(-?(?:0x)?[0-9a-fA-F]+)\)?$`).FindAllStringSubmatch(string(hdr), -1)
	if len(defines) < 25 {
		t.Fatalf("c/host_darwin.h: only %d definitions read", len(defines))
	}
	// Darwin has no O_PATH and no AT_EMPTY_PATH: 0 in the header, absent from Go's.
	absent := []string{"O_PATH", "AT_EMPTY_PATH"}
	// Not constants of the tables: getentropy's limit (<sys/random.h>'s GETENTROPY_MAX,
	// the man page's 256) and <sys/stat.h>'s UTIME_NOW and UTIME_OMIT (-1 and -2; GOROOT
	// has only UTIME_OMIT, in internal/syscall/unix).
	unchecked := []string{"GETENTROPY_MAX", "UTIME_NOW", "UTIME_OMIT"}
	errTable := regexp.MustCompile(`(?s)static const uint8_t darwin_errno\[(\d+)\] = \{(.*?)\};`).FindSubmatch(core)
	if errTable == nil {
		t.Fatal("c/wasi_core.c: no darwin_errno table")
	}
	entries := regexp.MustCompile(`\[(\d+)\] = E_([A-Z0-9]+)`).FindAllSubmatch(errTable[2], -1)
	wasiNames := regexp.MustCompile(`E_([A-Z0-9]+) = \d+`).FindAllSubmatch(wasiH, -1)
	strerror, err := os.ReadFile("c/strerror.c")
	if err != nil {
		t.Fatal(err)
	}
	errWords := regexp.MustCompile(`\{ERR\((E[A-Z0-9]+), (\d+), (\d+)\),`).FindAllSubmatch(strerror, -1)
	if len(errWords) < 20 {
		t.Fatalf("c/strerror.c: only %d ERR entries read", len(errWords))
	}
	for _, arch := range []string{"amd64", "arm64"} {
		consts := goDarwinConsts(t, arch)
		for _, d := range defines {
			name := d[1][2:]
			v, err := strconv.ParseInt(d[2], 0, 64)
			if err != nil {
				t.Fatalf("%s: %v", d[1], err)
			}
			switch want, ok := consts[name]; {
			case slices.Contains(unchecked, name):
			case slices.Contains(absent, name):
				if ok || v != 0 {
					t.Errorf("%s: %s is %d, Go's darwin/%s has %v (%d): want 0 and absent", d[1], name, v, arch, ok, want)
				}
			case !ok:
				t.Errorf("%s: darwin/%s has no %s", d[1], arch, name)
			case want != v:
				t.Errorf("%s is %#x, darwin/%s's %s is %#x", d[1], v, arch, name, want)
			}
		}
		// Every errno the table maps is the Darwin number of its WASI name, and every
		// WASI name Darwin has is mapped (ENOTSUP and EOPNOTSUPP both to NOTSUP).
		size, _ := strconv.Atoi(string(errTable[1]))
		mapped := map[int64]string{}
		for _, e := range entries {
			n, _ := strconv.ParseInt(string(e[1]), 10, 64)
			name := string(e[2])
			mapped[n] = name
			if name == "NOTSUP" && n == consts["EOPNOTSUPP"] {
				continue
			}
			if want, ok := consts["E"+name]; !ok || want != n {
				t.Errorf("darwin_errno[%d] = E_%s, but darwin/%s's E%s is %d", n, name, arch, name, want)
			}
		}
		for _, w := range wasiNames {
			name := string(w[1])
			n, ok := consts["E"+name]
			if !ok || name == "SUCCESS" {
				continue
			}
			if mapped[n] != name {
				t.Errorf("darwin/%s's E%s (%d) is not mapped to E_%s", arch, name, n, name)
			}
			if n >= int64(size) {
				t.Errorf("darwin_errno[%d] is too small for E%s (%d)", size, name, n)
			}
		}
		// strerror.c's numbers for darwin.
		for _, m := range errWords {
			d, _ := strconv.ParseInt(string(m[3]), 10, 64)
			if want, ok := consts[string(m[1])]; !ok || want != d {
				t.Errorf("strerror.c: ERR(%s, %s, %d), but darwin/%s's %s is %d", m[1], m[2], d, arch, m[1], want)
			}
		}
		// Config's O_DIRECTORY and O_NOFOLLOW for darwin.
		c := rtlib.Config{OS: "darwin", Arch: arch}
		b, err := c.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if dir, nofollow := binary.LittleEndian.Uint32(b[4:]), binary.LittleEndian.Uint32(b[8:]); int64(dir) != consts["O_DIRECTORY"] || int64(nofollow) != consts["O_NOFOLLOW"] {
			t.Errorf("darwin/%s configuration: O_DIRECTORY %#x, O_NOFOLLOW %#x; want %#x, %#x", arch, dir, nofollow, consts["O_DIRECTORY"], consts["O_NOFOLLOW"])
		}
	}
}

// TestDarwinImports checks the libSystem table: every Sys darwin maps names an import
// slot of DarwinImports, the slots are distinct, failures are reported through __error's
// slot, and the 64-bit-inode functions have their $INODE64 names on amd64 only.
func TestDarwinImports(t *testing.T) {
	for _, arch := range []string{"amd64", "arm64"} {
		names, err := rtlib.DarwinImports(arch)
		if err != nil {
			t.Fatal(err)
		}
		nums, err := rtlib.SyscallNumbers("darwin", arch)
		if err != nil {
			t.Fatal(err)
		}
		errSlot := slices.Index(names, "__error")
		if errSlot < 0 {
			t.Fatalf("darwin/%s: no __error import", arch)
		}
		seen := map[uint32]rtlib.Sys{}
		for _, s := range rtlib.AllSys() {
			if int(s) >= len(nums) || nums[s] < 0 {
				continue
			}
			slot, _, errno := ir.Libcall(uint64(nums[s]))
			if int(slot) >= len(names) || int(errno) != errSlot {
				t.Errorf("darwin/%s %v: slot %d of %d, errno slot %d (want %d)", arch, s, slot, len(names), errno, errSlot)
				continue
			}
			if o, dup := seen[slot]; dup {
				t.Errorf("darwin/%s: %v and %v share slot %d", arch, o, s, slot)
			}
			seen[slot] = s
			// Apple's arm64 convention passes variadic arguments on the stack: the
			// callee must say where they start (<fcntl.h>: open's mode; fcntl's and
			// ioctl's third argument).
			want := map[rtlib.Sys]int{rtlib.SysOpenat: 3, rtlib.SysFcntl: 2, rtlib.SysIoctl: 2}[s]
			if got := ir.LibcallVarargs(uint64(nums[s])); got != want {
				t.Errorf("darwin/%s %v: variadic from argument %d, want %d", arch, s, got, want)
			}
		}
		if len(seen) != len(names) {
			t.Errorf("darwin/%s: %d imports, %d of them called", arch, len(names), len(seen))
		}
		for _, f := range []string{"fstat", "fstatat", "fdopendir", "readdir", "telldir", "seekdir"} {
			want := f
			if arch == "amd64" {
				want += "$INODE64"
			}
			if !slices.Contains(names, want) {
				t.Errorf("darwin/%s imports no %s", arch, want)
			}
		}
		for _, f := range []string{"_exit", "write", "writev", "mmap", "getentropy", "sigaction"} {
			if !slices.Contains(names, f) {
				t.Errorf("darwin/%s imports no %s", arch, f)
			}
		}
	}
	// Linux's tables stop before the darwin-only calls, so Linux's dispatch is unchanged.
	for _, arch := range []string{"amd64", "arm64"} {
		nums, err := rtlib.SyscallNumbers("linux", arch)
		if err != nil {
			t.Fatal(err)
		}
		if len(nums) > int(rtlib.SysPread) {
			t.Errorf("linux/%s's table has %d entries, past the darwin-only %v", arch, len(nums), rtlib.SysPread)
		}
	}
}
