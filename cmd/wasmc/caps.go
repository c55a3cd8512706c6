package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/wasmc/wasmc/rtlib"
)

// capabilities are what a WASI program is granted: `wasmc build` bakes them into the
// executable and `wasmc run` takes them per run. Nothing is reachable without them.
type capabilities struct {
	dirs       []string // HOST[::GUEST]
	env        []string // K=V, or K to inherit K
	inheritEnv bool
	tcpListen  []string
	walk       bool // hidden: resolve paths without openat2, for tests
}

const capsHelp = `Capabilities (nothing else is reachable from the program):
  --dir HOST[::GUEST]  preopen host directory HOST, seen by the program as GUEST
                       (default: HOST as written); repeatable. HOST must exist; it
                       is made absolute, so the program gets the same directory
                       from any working directory. Paths never resolve outside
                       it: "..", absolute paths and symlinks leading out are
                       refused (errno PERM, as under Wasmtime)
  --env K=V            set variable K; repeatable; wins over an inherited K
  --env K              pass variable K from the environment the executable runs
                       in, if it is set there (as wasmtime run --env K does)
  --inherit-env        pass the whole environment the executable runs with
  --tcplisten ADDR     listen on ADDR (IP:PORT, [IPv6]:PORT or localhost:PORT) and
                       pass the socket as descriptor 3 (then 4 …); repeatable
Descriptors: 0-2 are stdin, stdout and stderr; then the --tcplisten sockets; then the
--dir directories, in the order given.`

func (c *capabilities) register(f *pflag.FlagSet) {
	f.StringArrayVar(&c.dirs, "dir", nil, "preopen directory `HOST[::GUEST]` (repeatable)")
	f.StringArrayVar(&c.env, "env", nil, "set `NAME[=VALUE]` in the program's environment; NAME alone passes the host's (repeatable)")
	f.BoolVar(&c.inheritEnv, "inherit-env", false, "pass the host environment to the program")
	f.StringArrayVar(&c.tcpListen, "tcplisten", nil, "preopen a TCP socket listening on `ADDR` (repeatable)")
	f.BoolVar(&c.walk, "sandbox-walk", false, "resolve paths component by component instead of with openat2")
	f.MarkHidden("sandbox-walk")
}

// config checks the capabilities and encodes them for goos/arch. Darwin has no openat2:
// its paths always resolve component by component.
func (c *capabilities) config(goos, arch string) ([]byte, error) {
	cfg := rtlib.Config{OS: goos, Arch: arch, InheritEnv: c.inheritEnv, Walk: c.walk || goos == "darwin"}
	for _, d := range c.dirs {
		host, guest, ok := cutDir(d)
		if !ok || strings.ContainsRune(d, 0) {
			return nil, fmt.Errorf("--dir %q: want HOST or HOST::GUEST, both non-empty", d)
		}
		abs, err := hostDir(host)
		if err != nil {
			return nil, fmt.Errorf("--dir %q: %v", d, err)
		}
		cfg.Dirs = append(cfg.Dirs, rtlib.Dir{Host: abs, Guest: guest})
	}
	for _, e := range c.env {
		// K alone asks for the host's K when the executable runs (rtlib.Config.Env).
		if k, _, _ := strings.Cut(e, "="); k == "" || strings.ContainsRune(e, 0) {
			return nil, fmt.Errorf("--env %q: want K=V or K, with a non-empty K", e)
		}
		cfg.Env = append(cfg.Env, e)
	}
	for _, a := range c.tcpListen {
		if err := checkListenAddr(a); err != nil {
			return nil, fmt.Errorf("--tcplisten %q: %v", a, err)
		}
		cfg.TCPListen = append(cfg.TCPListen, a)
	}
	return cfg.Encode()
}

// hostDir returns the absolute path of a --dir's host directory, which must exist and be
// a directory now: a typo is said at build time, by wasmc, rather than when the program
// starts, and the executable opens the same directory from whatever directory it is run
// in. (It can still vanish before then; the executable says so, naming it.)
func hostDir(host string) (string, error) {
	abs, err := filepath.Abs(host)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("%s: no such directory", abs)
	case err != nil:
		return "", unwrapPathError(err)
	case !fi.IsDir():
		return "", fmt.Errorf("%s: not a directory", abs)
	}
	return abs, nil
}

// cutDir splits HOST[::GUEST]; ok is false when either is empty.
func cutDir(d string) (host, guest string, ok bool) {
	host, guest, found := strings.Cut(d, "::")
	if !found {
		guest = host
	}
	return host, guest, host != "" && guest != ""
}

// checkListenAddr accepts what the runtime's parser does (rtlib/c/wasi_sock.c): an IP
// literal or localhost, and a port.
func checkListenAddr(a string) error {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return err
	}
	if p, err := strconv.ParseUint(port, 10, 16); err != nil || port != strconv.FormatUint(p, 10) {
		return fmt.Errorf("bad port %q", port)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || strings.Contains(host, "%") || (ip.To4() == nil) != strings.Contains(host, ":") {
		return fmt.Errorf("want an IP address or localhost, not %q", host)
	}
	if strings.Contains(host, ".") && strings.Contains(host, ":") {
		return fmt.Errorf("IPv4-mapped IPv6 addresses are not supported: %q", host)
	}
	return nil
}
