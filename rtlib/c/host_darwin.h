// host_darwin.h: Darwin's values of what wasi.h calls L_* (the host's flags and errno
// numbers), for the darwin runtime (built with WASMC_DARWIN, rtlib.WasmFor). They are
// Apple's <sys/fcntl.h>, <sys/errno.h> and <sys/ttycom.h>, the same on amd64 and arm64;
// rtlib's TestDarwinConstants checks each against Go's darwin tables in GOROOT
// (syscall/zerrors_darwin_*.go), an independent source. The AT_* values are not in
// those tables; they are Apple's <sys/fcntl.h>. Darwin has no O_PATH (L_O_PATH 0: the
// component walk opens directories for reading) and no AT_EMPTY_PATH (the darwin
// runtime calls fstat and futimens on descriptors instead).
#ifndef HOST_DARWIN_H
#define HOST_DARWIN_H

#define L_O_WRONLY 0x1
#define L_O_RDWR 0x2
#define L_O_CREAT 0x200
#define L_O_EXCL 0x800
#define L_O_NOCTTY 0x20000
#define L_O_TRUNC 0x400
#define L_O_APPEND 0x8
#define L_O_NONBLOCK 0x4
#define L_O_DSYNC 0x400000
#define L_O_SYNC 0x80
#define L_O_CLOEXEC 0x1000000
#define L_O_PATH 0
#define L_AT_FDCWD (-2)
#define L_AT_SYMLINK_NOFOLLOW 0x20
#define L_AT_REMOVEDIR 0x80
#define L_AT_SYMLINK_FOLLOW 0x40
#define L_AT_EMPTY_PATH 0
#define L_EINTR 0x4
#define L_EAGAIN 0x23
#define L_EXDEV 0x12
#define L_EINVAL 0x16
#define L_E2BIG 0x7
#define L_ENOENT 0x2
#define L_ENOSYS 0x4e

// fcntl's commands and the terminal test.
#define D_F_GETFD 0x1
#define D_TIOCGETA 0x40487413

// Clock ids (<time.h>): WASI's realtime and monotonic.
#define D_CLOCK_REALTIME 0x0
#define D_CLOCK_MONOTONIC 0x6

// getentropy's limit per call (<sys/random.h>).
#define D_GETENTROPY_MAX 256

// futimens' and utimensat's special nanoseconds (<sys/stat.h>).
#define D_UTIME_NOW (-0x1)
#define D_UTIME_OMIT (-0x2)

// Sockets (<sys/socket.h>) and the descriptor flags (<sys/fcntl.h>) darwin.c uses.
#define D_SOL_SOCKET 0xffff
#define D_SO_REUSEADDR 0x4
#define D_AF_INET6 0x1e
#define D_MSG_PEEK 0x2
#define D_MSG_TRUNC 0x10
#define D_MSG_WAITALL 0x40
#define D_F_GETFL 0x3
#define D_F_SETFL 0x4
#define D_F_SETFD 0x2
#define D_FD_CLOEXEC 0x1

#endif
