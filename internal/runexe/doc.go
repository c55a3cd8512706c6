// Package runexe runs an executable built for linux/amd64 or linux/arm64 on this host:
// directly when the host's architecture is the executable's, and otherwise under the qemu
// user-mode emulator for it (qemu-aarch64-static for arm64 on an amd64 host,
// qemu-x86_64-static for amd64 on an arm64 host; Debian's qemu-user-static). The emulator
// is named on the command line rather than left to binfmt_misc, which containers and CI
// machines often do not mount: without it the kernel refuses a foreign ELF (ENOEXEC).
//
// A [Runner] hands back a [Cmd], an *exec.Cmd, so callers set Stdin, Stdout, Stderr, Env
// and Dir and read the exit status as they would for a direct run, and all of it passes
// through the emulator unchanged: qemu-user gives the program its own standard streams,
// environment and working directory, exits with the program's exit status, re-raises the
// signal that killed the program on itself, and forwards the signals it is sent to the
// program. Two things need help, and get it: argv[0] is passed with qemu's -0, and the
// environment, which qemu would hand over in reverse order, is given to it reversed. (qemu
// also reads variables named QEMU_* as its own settings; they still reach the program.)
//
// When the emulator is not installed, [For] returns a [*MissingError] naming it; tests
// skip with that message, except under CI=true, where a missing tool fails the run
// (internal/targettest).
//
// It imports only the standard library.
package runexe
