package main

import (
	"fmt"

	"github.com/spf13/pflag"
)

// levelFlag is -O. It keeps what was typed and is checked where the command reports its
// errors, so that a bad level is said by the command that got it ("run: -O7: …"), in
// words rather than strconv's. gcc's -O3 and -Os are accepted and mean -O2, the highest
// level here: no pass trades code size for speed or the other way round yet.
type levelFlag struct{ s string }

func (l *levelFlag) String() string     { return l.s }
func (l *levelFlag) Set(s string) error { l.s = s; return nil }
func (l *levelFlag) Type() string       { return "level" }

// levelHelp is -O's usage line; "`N`" names its value in the help.
const levelHelp = "optimization level `N`: 0, 1 or 2 (3 and s, as gcc users type them, mean 2)"

// register adds -O to f with default def.
func (l *levelFlag) register(f *pflag.FlagSet, def int) {
	l.s = fmt.Sprint(def)
	f.VarP(l, "opt", "O", levelHelp)
}

// level returns the level to build at; cmd prefixes the error.
func (l *levelFlag) level(cmd string) (int, error) {
	switch l.s {
	case "0", "1", "2":
		return int(l.s[0] - '0'), nil
	case "3", "s":
		return 2, nil
	}
	return 0, fmt.Errorf("%s: -O%s: the levels are 0, 1 and 2 (-O3 and -Os mean -O2)", cmd, l.s)
}
