// wasi.h: what the files implementing wasi_snapshot_preview1 share (wasi_*.c).
//
// The guest calls these functions with pointers into its memory 0. A range is checked
// against the memory's current size before anything touches it (guest); a bad one ends
// the program as Wasmtime does (status 1), never a host access. Bulk data (fd_read, fd_write, random_get …) goes
// between the kernel and guest memory directly, through host iovecs built in the
// runtime's memory; small structures are assembled in the runtime's memory and copied
// with guest_write.
//
// Guest file descriptors index the runtime's table fds[]; each holds a host descriptor.
// Paths resolve only beneath a directory descriptor that came from a preopen
// (wasi_path.c), so a program reaches nothing it was not given.
#ifndef WASI_H
#define WASI_H

#include "wasmc.h"

#define NOINLINE __attribute__((noinline))

// Errno values, as wasi_snapshot_preview1's witx numbers them.
enum {
	E_SUCCESS = 0, E_2BIG = 1, E_ACCES = 2, E_ADDRINUSE = 3, E_ADDRNOTAVAIL = 4,
	E_AFNOSUPPORT = 5, E_AGAIN = 6, E_ALREADY = 7, E_BADF = 8, E_BADMSG = 9, E_BUSY = 10,
	E_CANCELED = 11, E_CHILD = 12, E_CONNABORTED = 13, E_CONNREFUSED = 14,
	E_CONNRESET = 15, E_DEADLK = 16, E_DESTADDRREQ = 17, E_DOM = 18, E_DQUOT = 19,
	E_EXIST = 20, E_FAULT = 21, E_FBIG = 22, E_HOSTUNREACH = 23, E_IDRM = 24,
	E_ILSEQ = 25, E_INPROGRESS = 26, E_INTR = 27, E_INVAL = 28, E_IO = 29, E_ISCONN = 30,
	E_ISDIR = 31, E_LOOP = 32, E_MFILE = 33, E_MLINK = 34, E_MSGSIZE = 35,
	E_MULTIHOP = 36, E_NAMETOOLONG = 37, E_NETDOWN = 38, E_NETRESET = 39,
	E_NETUNREACH = 40, E_NFILE = 41, E_NOBUFS = 42, E_NODEV = 43, E_NOENT = 44,
	E_NOEXEC = 45, E_NOLCK = 46, E_NOLINK = 47, E_NOMEM = 48, E_NOMSG = 49,
	E_NOPROTOOPT = 50, E_NOSPC = 51, E_NOSYS = 52, E_NOTCONN = 53, E_NOTDIR = 54,
	E_NOTEMPTY = 55, E_NOTRECOVERABLE = 56, E_NOTSOCK = 57, E_NOTSUP = 58, E_NOTTY = 59,
	E_NXIO = 60, E_OVERFLOW = 61, E_OWNERDEAD = 62, E_PERM = 63, E_PIPE = 64,
	E_PROTO = 65, E_PROTONOSUPPORT = 66, E_PROTOTYPE = 67, E_RANGE = 68, E_ROFS = 69,
	E_SPIPE = 70, E_SRCH = 71, E_STALE = 72, E_TIMEDOUT = 73, E_TXTBSY = 74, E_XDEV = 75,
	E_NOTCAPABLE = 76,
};

// E_ESCAPE is what a path that would leave its preopened directory gets: `..` above the
// root, an absolute path, a symlink leading out. Wasmtime answers PERM.
#define E_ESCAPE E_PERM

// File types.
enum {
	FT_UNKNOWN = 0, FT_BLOCK = 1, FT_CHAR = 2, FT_DIR = 3, FT_REG = 4, FT_DGRAM = 5,
	FT_STREAM = 6, FT_SYMLINK = 7,
};

// Rights, one bit each, as the witx numbers them.
#define R_UNDEFINED (~0ull << 30)
#define R_FD_DATASYNC (1ull << 0)
#define R_FD_READ (1ull << 1)
#define R_FD_SEEK (1ull << 2)
#define R_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define R_FD_SYNC (1ull << 4)
#define R_FD_TELL (1ull << 5)
#define R_FD_WRITE (1ull << 6)
#define R_FD_ADVISE (1ull << 7)
#define R_FD_ALLOCATE (1ull << 8)
#define R_PATH_CREATE_DIRECTORY (1ull << 9)
#define R_PATH_CREATE_FILE (1ull << 10)
#define R_PATH_LINK_SOURCE (1ull << 11)
#define R_PATH_LINK_TARGET (1ull << 12)
#define R_PATH_OPEN (1ull << 13)
#define R_FD_READDIR (1ull << 14)
#define R_PATH_READLINK (1ull << 15)
#define R_PATH_RENAME_SOURCE (1ull << 16)
#define R_PATH_RENAME_TARGET (1ull << 17)
#define R_PATH_FILESTAT_GET (1ull << 18)
#define R_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define R_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define R_FD_FILESTAT_GET (1ull << 21)
#define R_FD_FILESTAT_SET_SIZE (1ull << 22)
#define R_FD_FILESTAT_SET_TIMES (1ull << 23)
#define R_PATH_SYMLINK (1ull << 24)
#define R_PATH_REMOVE_DIRECTORY (1ull << 25)
#define R_PATH_UNLINK_FILE (1ull << 26)
#define R_POLL_FD_READWRITE (1ull << 27)
#define R_SOCK_SHUTDOWN (1ull << 28)
#define R_SOCK_ACCEPT (1ull << 29)
#define R_ALL ((1ull << 30) - 1)

// What fd_fdstat_get reports, as Wasmtime does: a preopened directory has a fixed set
// that userlands expect; every other file or directory has all rights but those its
// kind or access mode rules out. Rights are reported, never enforced: the host's
// access mode and the descriptor's kind decide what works.
#define R_PREOPEN                                                                          \
	(R_PATH_CREATE_DIRECTORY | R_PATH_CREATE_FILE | R_PATH_LINK_SOURCE |               \
	 R_PATH_LINK_TARGET | R_PATH_OPEN | R_FD_READDIR | R_PATH_READLINK |                \
	 R_PATH_RENAME_SOURCE | R_PATH_RENAME_TARGET | R_PATH_SYMLINK |                     \
	 R_PATH_REMOVE_DIRECTORY | R_PATH_UNLINK_FILE | R_PATH_FILESTAT_GET |               \
	 R_PATH_FILESTAT_SET_TIMES | R_FD_FILESTAT_GET | R_FD_FILESTAT_SET_TIMES)
#define R_PREOPEN_INHERITING                                                               \
	(R_PREOPEN | R_FD_DATASYNC | R_FD_READ | R_FD_SEEK | R_FD_FDSTAT_SET_FLAGS |       \
	 R_FD_SYNC | R_FD_TELL | R_FD_WRITE | R_FD_ADVISE | R_FD_ALLOCATE |                 \
	 R_FD_FILESTAT_GET | R_FD_FILESTAT_SET_SIZE | R_FD_FILESTAT_SET_TIMES |             \
	 R_POLL_FD_READWRITE)
#define R_SOCKET                                                                           \
	(R_FD_READ | R_FD_FDSTAT_SET_FLAGS | R_FD_WRITE | R_FD_FILESTAT_GET |               \
	 R_POLL_FD_READWRITE | R_SOCK_SHUTDOWN | R_SOCK_ACCEPT)

// fdflags.
#define FDF_APPEND 1
#define FDF_DSYNC 2
#define FDF_NONBLOCK 4
#define FDF_RSYNC 8
#define FDF_SYNC 16

#ifdef WASMC_DARWIN
#include "host_darwin.h"
#else
// Linux's values, the same on every architecture unless the configuration says
// otherwise (o_directory, o_nofollow).
#define L_O_WRONLY 1
#define L_O_RDWR 2
#define L_O_CREAT 0x40
#define L_O_EXCL 0x80
#define L_O_NOCTTY 0x100
#define L_O_TRUNC 0x200
#define L_O_APPEND 0x400
#define L_O_NONBLOCK 0x800
#define L_O_DSYNC 0x1000
#define L_O_SYNC 0x101000
#define L_O_CLOEXEC 0x80000
#define L_O_PATH 0x200000
#define L_AT_FDCWD (-100)
#define L_AT_SYMLINK_NOFOLLOW 0x100
#define L_AT_REMOVEDIR 0x200
#define L_AT_SYMLINK_FOLLOW 0x400
#define L_AT_EMPTY_PATH 0x1000
#define L_EINTR 4
#define L_EAGAIN 11
#define L_EXDEV 18
#define L_EINVAL 22
#define L_E2BIG 7
#define L_ENOENT 2
#define L_ENOSYS 38
#endif

// The configuration's per-architecture open flags (wasi_init.c).
extern uint32_t o_directory, o_nofollow;

// What a guest descriptor is. The kind decides which functions work on it, as in
// Wasmtime: stdio descriptors are streams (no seeking, no file operations), path_*
// functions want a directory, fd_* file operations want a file.
enum {
	K_FREE = 0,
	K_STDIN,  // a stream to read (fd 0 at start)
	K_STDOUT, // a stream to write (fds 1 and 2 at start)
	K_FILE,   // anything path_open opened that is not a directory
	K_DIR,    // a directory, preopened or opened
	K_SOCKET, // a --tcplisten socket or a connection it accepted
};

// Access modes a file was opened with.
#define A_READ 1
#define A_WRITE 2

// A guest descriptor.
struct wfd {
	int32_t host;     // the host descriptor
	uint8_t kind;     // K_*; K_FREE when the slot is free
	uint8_t type;     // FT_*: for stdio, FT_CHAR on a terminal and FT_UNKNOWN otherwise
	uint8_t preopen;  // a directory from --dir: fd_prestat_get describes it
	uint8_t access;   // A_READ | A_WRITE, as path_open asked for
	uint16_t fdflags; // FDF_APPEND and FDF_NONBLOCK, as set by path_open or fd_fdstat_set_flags
	uint8_t freed;    // closed or renumbered away, so reused before new numbers
	uint64_t name;     // a preopen's guest path: host address (in the configuration)
	uint32_t name_len; // and length
	// Where fd_readdir stopped last: the cookies of the last entry it gave and of the
	// one after, and the directory offsets to read each from (wasi_dir.c).
	uint64_t rd_cookie[2], rd_off[2];
};

#define MAX_FDS 4096
extern struct wfd fds[MAX_FDS];

// fd_get returns guest descriptor fd's entry, or 0 if it is not open.
struct wfd *fd_get(uint32_t fd);
// fd_new gives host a guest descriptor, numbered as Wasmtime numbers them (the highest
// freed one, else one above the highest in use), and returns it, or -1 when the table
// is full.
int32_t fd_new(int32_t host, uint8_t kind, uint8_t type);
// fd_free closes guest descriptor fd's slot (not the host descriptor).
void fd_free(uint32_t fd);

// FD looks up guest descriptor fd into d, or returns EBADF. FILE_FD and DIR_FD also
// want it to be a file or a directory, EBADF otherwise.
#define FD(d, fd)                                                                          \
	struct wfd *d = fd_get(fd);                                                        \
	if (d == 0)                                                                        \
		return E_BADF;
#define FILE_FD(d, fd)                                                                     \
	FD(d, fd);                                                                         \
	if (d->kind != K_FILE)                                                             \
		return E_BADF;
#define DIR_FD(d, fd)                                                                      \
	FD(d, fd);                                                                         \
	if (d->kind != K_DIR)                                                              \
		return E_BADF;

// errno_of turns a negative Linux result into a WASI errno.
uint32_t errno_of(int64_t r);

// Guest memory. guest returns the host address of [p, p+n) of guest memory, p aligned
// to align. A range outside memory or a misaligned pointer ends the program, as under
// Wasmtime: with a message and status 1, having touched nothing (wasi_core.c). An empty
// range is always fine. gread and gwrite copy between guest and runtime memory.
uint64_t guest(uint32_t p, uint64_t n, uint32_t align);
// guest_at ends the program unless p is inside guest memory or just past its end: where
// an empty string may start. guest_size is guest memory's size in bytes.
void guest_at(uint32_t p);
uint64_t guest_size(void);
// bad_arg ends the program as Wasmtime does when an argument is not a value of its
// type (an enum out of range, an undefined flag): status 1, with a message.
__attribute__((noreturn)) void bad_arg(const char *what);
void gread(void *dst, uint32_t p, uint32_t n, uint32_t align);
void gwrite(uint32_t p, const void *src, uint32_t n, uint32_t align);
// get32 reads a little-endian value from the guest into *v; put8 … put64 write one,
// naturally aligned. All return E_SUCCESS (a bad pointer does not return).
uint32_t get32(uint32_t p, uint32_t *v);
uint32_t put8(uint32_t p, uint8_t v);
uint32_t put16(uint32_t p, uint16_t v);
uint32_t put32(uint32_t p, uint32_t v);
uint32_t put64(uint32_t p, uint64_t v);

// A host iovec built from guest iovecs {buf u32, len u32}: iov_load puts the first
// non-empty buffer in hiov and the count, 0 or 1, in *n (a bad buffer ends the program).
// iov_first finds that buffer without checking it, and says whether there is one.
extern uint64_t hiov[2];
uint32_t iov_first(uint32_t iovs, uint32_t count, uint32_t *p, uint32_t *len);
uint32_t iov_load(uint32_t iovs, uint32_t count, uint32_t *n);

// sys wraps the syscall intrinsic, retrying on EINTR.
int64_t sys(int32_t nr, int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5);
#ifdef WASMC_DARWIN
// darwin.c: Linux's calls made with libSystem's, and fd_readdir's directory reading.
int64_t darwin_sys(int32_t nr, int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5);
void darwin_dir_seek(int32_t fd, uint64_t pos);
int64_t darwin_getdents(int32_t fd, uint8_t *buf, uint32_t size);
#endif

// stat_to fills the 64-byte WASI filestat at out (runtime memory) from a Linux statx buffer.
void stat_to(uint8_t *out, const uint8_t *stx);
// statx_buf is the one statx buffer (256 bytes).
extern uint8_t statx_buf[256];
// filetype_of returns the WASI file type of a Linux st_mode.
uint8_t filetype_of(uint32_t mode);

// Paths (wasi_path.c). path_load copies a guest path into buf (PATH_BUF bytes with its
// NUL) and returns E_SUCCESS or an errno.
#define PATH_BUF 4096
uint32_t path_load(char *buf, uint32_t p, uint32_t len);
// Little-endian stores into runtime memory.
void le16(uint8_t *p, uint16_t v);
void le32(uint8_t *p, uint32_t v);
void le64(uint8_t *p, uint64_t v);
uint64_t rd64(const uint8_t *p);
uint32_t rd32(const uint8_t *p);

// host_strlen is the length of the NUL-terminated host string at s (wasi_init.c).
uint32_t host_strlen(uint64_t s);

// stderr output for start-up failures: the message and an exit status of 1.
__attribute__((noreturn)) void die(const char *what, const char *arg, uint64_t arg_host,
				   uint32_t arg_len, int64_t err);

#endif
