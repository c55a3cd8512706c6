package wasifixture

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Snapshot describes every object of the tree at root that is not inside a
// preopened directory (type, permissions, mtime, size, content, link target),
// keyed by its path relative to root.
func (fx *Fixture) Snapshot(root string) (map[string]string, error) {
	inPreopen := map[string]bool{}
	for _, p := range fx.Preopens {
		inPreopen[filepath.Clean(p.Path)] = true
	}
	snap := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if inPreopen[rel] {
			return fs.SkipDir
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		desc := fmt.Sprintf("%v mtime=%d size=%d", fi.Mode(), fi.ModTime().UnixNano(), fi.Size())
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			t, err := os.Readlink(p)
			if err != nil {
				return err
			}
			desc += " -> " + t
		case fi.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			desc += " content=" + strconv.Quote(string(b))
		}
		snap[rel] = desc
		return nil
	})
	return snap, err
}

// Diff lists, one per line, what was created, removed or changed between two
// snapshots; it is empty when they are equal.
func Diff(before, after map[string]string) string {
	var keys []string
	for k := range before {
		keys = append(keys, k)
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var sb strings.Builder
	for _, k := range keys {
		x, okx := before[k]
		y, oky := after[k]
		switch {
		case !okx:
			fmt.Fprintf(&sb, "created %s: %s\n", k, y)
		case !oky:
			fmt.Fprintf(&sb, "removed %s: %s\n", k, x)
		case x != y:
			fmt.Fprintf(&sb, "changed %s: %s => %s\n", k, x, y)
		}
	}
	return sb.String()
}
