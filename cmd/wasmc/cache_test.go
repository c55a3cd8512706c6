package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wasmc/wasmc/internal/targets"
	"github.com/wasmc/wasmc/internal/targettest"
	"github.com/wasmc/wasmc/rtlib"
)

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int64
	}{
		{"0", 0}, {"1048576", 1 << 20}, {"500M", 500 << 20}, {"2G", 2 << 30}, {"2GiB", 2 << 30},
		{"64kb", 64 << 10}, {"1T", 1 << 40},
	} {
		if got, err := parseSize(tc.s); err != nil || got != tc.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", tc.s, got, err, tc.want)
		}
	}
	for _, s := range []string{"", "M", "-1", "1.5G", "12X", "99999999999T"} {
		if _, err := parseSize(s); err == nil {
			t.Errorf("parseSize(%q): no error", s)
		}
	}
}

// TestCacheEviction: storing past the cap removes the least recently used entries, but
// never the one just stored nor one used within the grace period (a racing run may be
// about to start it).
func TestCacheEviction(t *testing.T) {
	c := &runCache{dir: t.TempDir(), max: 250, grace: time.Minute}
	key := func(i int) string { return strings.Repeat(string(rune('a'+i)), 40) }
	now := time.Now()
	for i, age := range []time.Duration{3 * time.Hour, 2 * time.Hour, time.Second} {
		if _, err := c.store(key(i), make([]byte, 100), "m"); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(c.path(key(i)), now.Add(-age), now.Add(-age))
	}
	// Three entries of 102 bytes: the oldest went when the third came.
	if _, err := os.Stat(c.path(key(0))); err == nil {
		t.Errorf("the least recently used entry was not evicted")
	}
	if _, err := c.store(key(3), make([]byte, 100), "m"); err != nil {
		t.Fatal(err)
	}
	es, _ := c.entries()
	var keys []string
	for _, e := range es {
		keys = append(keys, e.key[:1])
	}
	// b (2 h) goes; c (used a second ago) stays although the cache is over its cap.
	if got := strings.Join(keys, ""); got != "dc" {
		t.Errorf("entries after eviction, most recent first: %q, want \"dc\"", got)
	}
	if _, err := os.Stat(c.path(key(1)) + ".about"); err == nil {
		t.Errorf("an evicted entry's sidecar was left")
	}
}

// TestCacheCommand: wasmc cache dir, list and clean; $WASMC_CACHE_MAX caps what run keeps.
func TestCacheCommand(t *testing.T) {
	x := targettest.Need(t, hostLinuxTarget(t))
	cache := t.TempDir()
	t.Setenv(cacheEnv, cache)
	if out, _, code := runCLI(t, "cache", "dir"); code != 0 || out != cache+"\n" {
		t.Errorf("cache dir: exit %d, %q", code, out)
	}
	src := writeFile(t, "argc.wat", []byte(argcWat))
	runCLI(t, "run", "--target", x.Name, src)
	out, _, code := runCLI(t, "cache", "list")
	if code != 0 || !strings.Contains(out, src+" -O2 --target "+x.Name) || !strings.HasSuffix(out, "1 executables, "+humanSize(dirSize(t, cache))+" of 1.0 GB\n") {
		t.Errorf("cache list: exit %d:\n%s", code, out)
	}
	// A cap of one byte keeps only the newest, once the other is past the grace period.
	t.Setenv(cacheMaxEnv, "1")
	old := time.Now().Add(-time.Hour)
	for _, fi := range cachedExecutables(t, cache) {
		os.Chtimes(filepath.Join(cache, fi.Name()), old, old)
	}
	runCLI(t, "run", "--target", x.Name, "-O0", src)
	if out, _, _ := runCLI(t, "cache", "list"); !strings.Contains(out, "-O0") || strings.Contains(out, "-O2") {
		t.Errorf("cache list after a run over the cap:\n%s", out)
	}
	t.Setenv(cacheMaxEnv, "lots")
	if _, stderr, code := runCLI(t, "run", src); code != 1 || !strings.Contains(stderr, "WASMC_CACHE_MAX=lots: want a size") {
		t.Errorf("bad WASMC_CACHE_MAX: exit %d, %q", code, stderr)
	}
	t.Setenv(cacheMaxEnv, "")
	if out, _, code := runCLI(t, "cache", "clean"); code != 0 || !strings.HasPrefix(out, "removed 1 executables") {
		t.Errorf("cache clean: exit %d, %q", code, out)
	}
	if entries, _ := os.ReadDir(cache); len(entries) != 0 {
		t.Errorf("cache clean left %d files", len(entries))
	}
}

// hostLinuxTarget is the host's target of the table, for tests that run one target only.
func hostLinuxTarget(t *testing.T) targets.Target {
	for _, tg := range targettest.Linux() {
		if tg.Name == hostTarget() {
			return tg
		}
	}
	t.Skipf("no Linux target for this host %s", hostTarget())
	return targets.Target{}
}

func dirSize(t *testing.T, dir string) int64 {
	var n int64
	des, _ := os.ReadDir(dir)
	for _, de := range des {
		if fi, err := de.Info(); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// TestRunChannel: only wasmc run hands a cached executable its capabilities. Started
// another way it refuses, naming itself; an executable of wasmc build keeps its own and
// ignores a configuration offered on the same descriptor.
func TestRunChannel(t *testing.T) {
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		cache := t.TempDir()
		t.Setenv(cacheEnv, cache)
		src := writeFile(t, "argc.wat", []byte(argcWat))
		if _, stderr, code := runCLI(t, "run", "--target", x.Name, src); code != 1 {
			t.Fatalf("run: exit %d: %s", code, stderr)
		}
		cached := filepath.Join(cache, cachedExecutables(t, cache)[0].Name())
		var stderr bytes.Buffer
		c := x.Runner.Command(cached)
		c.Stderr = &stderr
		err := c.Run()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.HasPrefix(stderr.String(), cached+": this executable is from wasmc run's cache") {
			t.Errorf("cached executable run directly: %v, stderr %q", err, stderr.String())
		}

		built := buildFor(t, x, src, "--env", "K=v")
		caps, err := (&rtlib.Config{Arch: x.Arch.String(), Env: []string{"INJECTED=xxxxxxxxxx"}}).Encode()
		if err != nil {
			t.Fatal(err)
		}
		f, err := capsFile(caps)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		c = x.Runner.Command(built)
		c.ExtraFiles = []*os.File{f}
		err = c.Run()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1+4 { // argc 1, "K=v\0"
			t.Errorf("built executable offered a configuration on fd 3: %v, want exit status 5", err)
		}
	})
}
