package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The environment variables that place and size `wasmc run`'s cache.
const (
	cacheEnv    = "WASMC_CACHE_DIR"
	cacheMaxEnv = "WASMC_CACHE_MAX"
)

// defaultCacheMax is the cache's size cap unless $WASMC_CACHE_MAX says otherwise: room for
// dozens of large programs (a 6.5 MB Go module makes a 15 MB executable).
const defaultCacheMax = 1 << 30

// runCache is `wasmc run`'s cache of executables, one file per key (cacheKey: the module,
// the code-generation flags, the compiler), named by the key in hex, with a sidecar
// KEY.about saying what it was built from. A file's modification time is its last use.
// Capabilities and arguments are not in the key: they reach the executable when it runs.
//
// Several runs may share the cache at once. Entries appear by rename, so none is ever
// seen half written; an entry used less than grace ago is never evicted, so a run that
// has just found one starts it before any other run may remove it.
type runCache struct {
	dir   string
	max   int64
	grace time.Duration
}

// cacheEntry is one executable in the cache.
type cacheEntry struct {
	key     string
	size    int64 // the executable and its sidecar
	lastUse time.Time
	about   string
}

// openCache opens the cache that the environment names, creating its directory.
func openCache() (*runCache, error) {
	dir := os.Getenv(cacheEnv)
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("no cache directory (set %s): %v", cacheEnv, err)
		}
		dir = filepath.Join(base, "wasmc")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	c := &runCache{dir: dir, max: defaultCacheMax, grace: time.Minute}
	if s := os.Getenv(cacheMaxEnv); s != "" {
		n, err := parseSize(s)
		if err != nil {
			return nil, fmt.Errorf("%s=%s: %v", cacheMaxEnv, s, err)
		}
		c.max = n
	}
	return c, nil
}

// parseSize reads a size in bytes: a number with an optional K, M, G or T (powers of
// 1024), optionally followed by B or iB ("500M", "2GiB", "1048576").
func parseSize(s string) (int64, error) {
	t := strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(s), "B"), "I")
	shift := 0
	if i := strings.IndexAny(t, "KMGT"); i >= 0 && i == len(t)-1 {
		shift = 10 * (1 + strings.IndexByte("KMGT", t[i]))
		t = t[:i]
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<62)>>shift {
		return 0, errors.New("want a size such as 500M or 2G")
	}
	return n << shift, nil
}

func (c *runCache) path(key string) string { return filepath.Join(c.dir, key) }

// lookup returns the executable of key if the cache has it, marking it used now.
func (c *runCache) lookup(key string) (string, bool) {
	p := c.path(key)
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return "", false
	}
	now := time.Now()
	os.Chtimes(p, now, now) // the last use, for eviction; a failure only ages it
	return p, true
}

// store puts executable exe into the cache under key, with about describing it, and
// evicts what the size cap no longer leaves room for. Two runs storing one key both
// rename a whole file into place, so either one's is what a third finds.
func (c *runCache) store(key string, exe []byte, about string) (string, error) {
	os.WriteFile(c.path(key)+".about", []byte(about+"\n"), 0o644) // only for cache list
	tmp, err := os.CreateTemp(c.dir, key+".tmp*")
	if err != nil {
		return "", err
	}
	_, err = tmp.Write(exe)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o755)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), c.path(key))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	c.evict(key)
	return c.path(key), nil
}

// isKey reports whether name is an entry's: 40 hex digits (cacheKey).
func isKey(name string) bool {
	if len(name) != 40 {
		return false
	}
	for _, r := range name {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// entries lists the cache's executables, the most recently used first.
func (c *runCache) entries() ([]cacheEntry, error) {
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return nil, err
	}
	var es []cacheEntry
	for _, de := range des {
		if !isKey(de.Name()) {
			continue
		}
		fi, err := de.Info()
		if err != nil {
			continue // evicted meanwhile
		}
		e := cacheEntry{key: de.Name(), size: fi.Size(), lastUse: fi.ModTime()}
		if b, err := os.ReadFile(c.path(e.key) + ".about"); err == nil {
			e.size += int64(len(b))
			e.about = strings.TrimSpace(string(b))
		}
		es = append(es, e)
	}
	slices.SortFunc(es, func(a, b cacheEntry) int { return b.lastUse.Compare(a.lastUse) })
	return es, nil
}

// evict removes the least recently used entries until the cache fits its cap, never keep
// (just stored) nor one used within grace, and temporary files that a killed run left.
func (c *runCache) evict(keep string) {
	es, err := c.entries()
	if err != nil {
		return
	}
	var total int64
	for _, e := range es {
		total += e.size
	}
	now := time.Now()
	for i := len(es) - 1; i >= 0 && total > c.max; i-- {
		e := es[i]
		if e.key == keep || now.Sub(e.lastUse) < c.grace {
			continue
		}
		c.remove(e.key)
		total -= e.size
	}
	c.removeStale(now.Add(-time.Hour))
}

// remove deletes an entry; another run may have deleted it first.
func (c *runCache) remove(key string) {
	os.Remove(c.path(key))
	os.Remove(c.path(key) + ".about")
}

// removeStale deletes temporary files older than before: a run killed while storing.
func (c *runCache) removeStale(before time.Time) {
	des, _ := os.ReadDir(c.dir)
	for _, de := range des {
		if !strings.Contains(de.Name(), ".tmp") {
			continue
		}
		if fi, err := de.Info(); err == nil && fi.ModTime().Before(before) {
			os.Remove(filepath.Join(c.dir, de.Name()))
		}
	}
}

// clean removes every entry, and sidecars whose executable is gone; it returns how many
// entries and bytes it removed.
func (c *runCache) clean() (int, int64, error) {
	es, err := c.entries()
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return 0, 0, nil
		}
		return 0, 0, err
	}
	var bytes int64
	for _, e := range es {
		c.remove(e.key)
		bytes += e.size
	}
	des, _ := os.ReadDir(c.dir)
	for _, de := range des {
		if key, ok := strings.CutSuffix(de.Name(), ".about"); ok && isKey(key) {
			if _, err := os.Stat(c.path(key)); errors.Is(err, fs.ErrNotExist) {
				os.Remove(filepath.Join(c.dir, de.Name()))
			}
		}
	}
	c.removeStale(time.Now().Add(-time.Hour))
	return len(es), bytes, nil
}
