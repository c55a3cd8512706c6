package rtlib

import (
	"encoding/binary"
	"fmt"
)

// WASIModule is the import module of the WASI functions the runtime provides: it links
// under this name as well, and its exports whose names do not start with "wasmc" are
// those functions (c/wasi_*.c).
const WASIModule = "wasi_snapshot_preview1"

// Dir is a preopened directory: Host is opened when the program starts, and the guest
// sees it as Guest.
type Dir struct {
	Host, Guest string
}

// Config is what a WASI program is given, baked into its executable: c/wasi_init.c
// reads it at start-up through the config intrinsic ([Layout.Config]).
type Config struct {
	// OS is the target operating system ("linux", the default, or "darwin"), whose open
	// flags Encode writes.
	OS string
	// Arch is the target architecture ("amd64", "arm64"): Linux's open flags differ.
	Arch string
	// Dirs are the preopened directories, in guest descriptor order after the listeners.
	Dirs []Dir
	// Env are the guest's variables, "K=V", after the inherited ones: each replaces an
	// inherited one of the same name. An entry "K" without "=" passes the host's K, if
	// the process has one when it starts, as `wasmtime run --env K` does.
	Env []string
	// InheritEnv passes the host process's environment to the guest.
	InheritEnv bool
	// TCPListen are addresses to listen on (IPV4:PORT, [IPV6]:PORT, localhost:PORT),
	// preopened as guest descriptors 3, 4 … in order.
	TCPListen []string
	// Walk resolves paths component by component even where the kernel has openat2,
	// so that tests cover the fallback.
	Walk bool
}

// FromDescriptor returns the configuration of an executable that takes its capabilities
// at run time, as `wasmc run` builds the executables it caches: "WCFR" and the descriptor
// number fd, a little-endian u32. At start-up the runtime maps the file open on fd, whose
// contents are an [Config.Encode] (a file, not a pipe: it is mapped, not read), closes fd
// and goes on as if they had been baked in. The executable refuses to start without fd.
// An executable built with a configuration of its own never reads a descriptor, so only
// its builder decides what it may reach.
func FromDescriptor(fd uint32) []byte {
	return binary.LittleEndian.AppendUint32([]byte("WCFR"), fd)
}

// Darwin's O_DIRECTORY and O_NOFOLLOW (<sys/fcntl.h>).
const (
	darwinODirectory = 0x100000
	darwinONofollow  = 0x100
)

// Encode returns the configuration's bytes. The layout, all integers little-endian u32:
// "WCF1", the OS's O_DIRECTORY and O_NOFOLLOW for the architecture, flags (1 inherit the
// environment, 2 walk), then the listeners (a count, then each as a length and bytes),
// the directories (a count, then host and guest each as a length and bytes) and the
// variables (a count, then each as a length and bytes).
func (c *Config) Encode() ([]byte, error) {
	var oDirectory, oNofollow uint32
	switch {
	case c.OS != "" && c.OS != "linux" && c.OS != "darwin":
		return nil, fmt.Errorf("rtlib: no WASI configuration for operating system %q", c.OS)
	case c.Arch != "amd64" && c.Arch != "arm64":
		return nil, fmt.Errorf("rtlib: no WASI configuration for architecture %q", c.Arch)
	case c.OS == "darwin": // the same on both architectures (host_darwin.h)
		oDirectory, oNofollow = darwinODirectory, darwinONofollow
	case c.Arch == "amd64":
		oDirectory, oNofollow = 0x10000, 0x20000
	default:
		oDirectory, oNofollow = 0x4000, 0x8000
	}
	b := []byte("WCF1")
	u32 := func(v uint32) { b = binary.LittleEndian.AppendUint32(b, v) }
	str := func(s string) {
		u32(uint32(len(s)))
		b = append(b, s...)
	}
	u32(oDirectory)
	u32(oNofollow)
	var flags uint32
	if c.InheritEnv {
		flags |= 1
	}
	if c.Walk {
		flags |= 2
	}
	u32(flags)
	u32(uint32(len(c.TCPListen)))
	for _, a := range c.TCPListen {
		str(a)
	}
	u32(uint32(len(c.Dirs)))
	for _, d := range c.Dirs {
		str(d.Host)
		str(d.Guest)
	}
	u32(uint32(len(c.Env)))
	for _, e := range c.Env {
		str(e)
	}
	return b, nil
}
