// wasi/c/oob.c: one bad-pointer WASI call per run, chosen by the last command-line
// argument (a run named R gets the fixture's arguments plus R). Without a case name
// (run "main") it prints the list of cases and exits 0.
//
// Every function of wasi_snapshot_preview1 that takes a pointer is called directly
// (see wasiraw.h) with pointers at or beyond the end of linear memory, straddling it,
// at 0xFFFFFFF0/0xFFFFFFFF, with huge lengths, with lengths that wrap around 2^32,
// misaligned, and with iovec arrays running past the end; zero-length accesses through
// bad pointers; errors that must come before any memory access (bad fds, paths outside
// the sandbox); arguments outside their enum or flags type, with good pointers (Wasmtime
// ends the program for those too); and the same calls with pointers that exactly fit
// the end of memory, which must succeed.
//
// Each case prints one line naming the call before it, and, if the call returns, one
// line with the errno, the results that do not depend on the machine, and whether
// guest memory is untouched: the last two pages of memory (grown for this program, so
// nothing else lives there) are compared with a snapshot taken just before the call,
// and only the bytes a successful call is meant to write may differ. Then the case
// exits with proc_exit(0). Wasmtime ends a program whose WASI call has a bad pointer
// with status 1 (not a trap): then the second line is missing.
//
// Files are only written under /sandbox/oobwork.
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wasiraw.h"
#include "probe.h"

// ------------------------------------------------------------ guest memory --
//
// E is the end of linear memory. The program grows memory by SCRATCH bytes at start-up
// and uses only that region, [V, E), for the valid buffers of the calls, so that a
// snapshot of it shows everything a call wrote.

#define SCRATCH (2 * 65536u)
static uint32_t E, V;

#define FFF0 0xFFFFFFF0u
#define FFF8 0xFFFFFFF8u
#define FFFF 0xFFFFFFFFu
#define HUGE 0x7FFFFFFFu
#define WRAP 0xFFFFFF00u // with a length of 0x200, the range wraps around 2^32

#define RES (V + 0x40)   // result slots (8-aligned, 64 bytes each)
#define RES2 (V + 0x80)
#define IOV (V + 0x100)  // iovec arrays
#define BUF (V + 0x400)  // a data buffer, 0xC00 bytes
#define BIG (V + 0x1000) // a large buffer, up to V + 0x10000

static inline uint8_t *M(uint32_t a) { return (uint8_t *)(uintptr_t)a; }
static void w32(uint32_t a, uint32_t v) { memcpy(M(a), &v, 4); }
static void w64(uint32_t a, uint64_t v) { memcpy(M(a), &v, 8); }
static uint32_t r32(uint32_t a) {
	uint32_t v;
	memcpy(&v, M(a), 4);
	return v;
}
static uint64_t r64(uint32_t a) {
	uint64_t v;
	memcpy(&v, M(a), 8);
	return v;
}
static uint16_t r16(uint32_t a) {
	uint16_t v;
	memcpy(&v, M(a), 2);
	return v;
}

// iovec i of the array at a
static void iov(uint32_t a, uint32_t i, uint32_t base, uint32_t len) {
	w32(a + 8 * i, base);
	w32(a + 8 * i + 4, len);
}
// copies s (no NUL) to a and returns a
static uint32_t put(uint32_t a, const char *s) {
	memcpy(M(a), s, strlen(s));
	return a;
}
// copies s (no NUL) so that it ends exactly at the end of memory
static uint32_t tail(const char *s) { return put(E - (uint32_t)strlen(s), s); }
// a string literal's address and length
#define S(s) P(s), (uint32_t)(sizeof(s) - 1)

// ------------------------------------------------------------- the cases --

static const char *cname;
static uint8_t snap[SCRATCH];
static uint32_t allow_lo[4], allow_hi[4];
static int nallow;

// begin prints the line naming the case and takes the snapshot.
static void begin(const char *fmt, ...) {
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	say("%s: %s", cname, buf);
	memcpy(snap, M(V), SCRATCH);
}

// allow declares [a, a+n) as written by the call when it succeeds (before or after begin).
static void allow(uint32_t a, uint32_t n) {
	allow_lo[nallow] = a;
	allow_hi[nallow] = a + n;
	nallow++;
}

// untouched says whether the scratch region is as it was at begin, but for the
// allowed ranges when the call succeeded.
static int untouched(int e) {
	for (uint32_t i = 0; i < SCRATCH; i++) {
		if (M(V)[i] == snap[i]) continue;
		uint32_t a = V + i;
		int ok = 0;
		for (int k = 0; e == 0 && k < nallow; k++)
			if (a >= allow_lo[k] && a < allow_hi[k]) ok = 1;
		if (!ok) return 0;
	}
	return 1;
}

// end prints the outcome: the errno, and when it is 0 the extra text, then whether
// memory is untouched; then the case exits with status 0.
static void end(int e, const char *fmt, ...) {
	char extra[512] = "";
	if (e == 0 && fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(extra, sizeof extra, fmt, ap);
		va_end(ap);
	}
	say("%s: errno %d (%s)%s%s; memory untouched: %s", cname, e, ename(e), extra[0] ? "; " : "", extra,
	    untouched(e) ? "true" : "false");
	r_proc_exit(0);
}

// quote formats n bytes at a as a C-ish string into one of four static buffers.
static const char *quote(uint32_t a, uint32_t n) {
	static char qs[4][256];
	static unsigned k;
	char *q = qs[k++ % 4];
	uint32_t j = 0;
	q[j++] = '"';
	for (uint32_t i = 0; i < n && j < sizeof qs[0] - 6; i++) {
		uint8_t c = M(a)[i];
		if (c == '\n') {
			q[j++] = '\\';
			q[j++] = 'n';
		} else if (c < 32 || c >= 127 || c == '"' || c == '\\') {
			j += (uint32_t)snprintf(q + j, sizeof qs[0] - j, "\\x%02x", c);
		} else
			q[j++] = (char)c;
	}
	q[j++] = '"';
	q[j] = 0;
	return q;
}

// ------------------------------------------------------- fixture helpers --

#define R(x) ((uint64_t)__WASI_RIGHTS_##x)
static const uint64_t RIGHTS_RO = R(FD_READ) | R(FD_SEEK) | R(FD_TELL) | R(FD_FILESTAT_GET);
static const uint64_t RIGHTS_RW = RIGHTS_RO | R(FD_WRITE) | R(FD_FILESTAT_SET_SIZE);
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define CREAT __WASI_OFLAGS_CREAT
#define TRUNC __WASI_OFLAGS_TRUNC

static uint32_t root = 3; // the /sandbox preopen

static void find_root(void) { root = find_sandbox(); }

// sopen opens path beneath /sandbox (following symlinks); a failure is printed.
static uint32_t sopen(const char *path, uint32_t oflags, uint64_t rights) {
	uint32_t fd = 0xFFFFFFFF;
	int e = r_path_open(root, FOLLOW, P(path), strlen(path), oflags, rights, rights, 0, P(&fd));
	if (e) say("%s: setup: path_open %s: errno %d (%s)", cname, path, e, ename(e));
	return fd;
}

static void work(void) {
	int e = r_path_create_directory(root, S("oobwork"));
	if (e && e != __WASI_ERRNO_EXIST) say("%s: setup: path_create_directory oobwork: errno %d (%s)", cname, e, ename(e));
}

// a file under oobwork, created empty, open for reading and writing
static uint32_t workfile(const char *path) {
	work();
	return sopen(path, CREAT | TRUNC, RIGHTS_RW);
}

static int exists(const char *path) {
	__wasi_filestat_t st;
	return r_path_filestat_get(root, 0, P(path), strlen(path), P(&st)) == 0;
}

// ----------------------------------------------------------------- args --

static uint32_t argc_, argsize_;

static void sizes(int env) {
	int e = env ? r_environ_sizes_get(P(&argc_), P(&argsize_)) : r_args_sizes_get(P(&argc_), P(&argsize_));
	if (e) say("%s: setup: sizes: errno %d", cname, e);
}

static void c_args_get_argv_ffff(void) {
	begin("args_get(argv=0xFFFFFFF0, argv_buf=ok)");
	end(r_args_get(FFF0, BUF), 0);
}
static void c_args_get_argv_end(void) {
	begin("args_get(argv=END-4 (7 pointers straddle the end), argv_buf=ok)");
	end(r_args_get(E - 4, BUF), 0);
}
static void c_args_get_argv_mis(void) {
	begin("args_get(argv misaligned by 1, argv_buf=ok)");
	end(r_args_get(RES + 1, BUF), 0);
}
static void c_args_get_buf_ffff(void) {
	begin("args_get(argv=ok, argv_buf=0xFFFFFFFF)");
	end(r_args_get(RES, FFFF), 0);
}
static void c_args_get_buf_end(void) {
	begin("args_get(argv=ok, argv_buf=END-8 (strings straddle the end))");
	end(r_args_get(RES, E - 8), 0);
}
static void c_args_get_fit(void) {
	sizes(0);
	uint32_t argv = E - 4 * argc_;
	begin("args_get(argv=END-4*argc (exactly fits), argv_buf=ok)");
	allow(argv, 4 * argc_);
	allow(BUF, argsize_);
	int e = r_args_get(argv, BUF);
	end(e, "argc %u, argv[1] %s, last %s", argc_, quote(r32(argv + 4), 5),
	    quote(r32(argv + 4 * (argc_ - 1)), (uint32_t)strlen(cname)));
}
static void c_args_sizes_get_argc_ffff(void) {
	begin("args_sizes_get(argc=0xFFFFFFFF, argv_buf_size=ok)");
	end(r_args_sizes_get(FFFF, RES), 0);
}
static void c_args_sizes_get_size_end(void) {
	begin("args_sizes_get(argc=ok, argv_buf_size=END)");
	end(r_args_sizes_get(RES, E), 0);
}
static void c_args_sizes_get_mis(void) {
	begin("args_sizes_get(argc misaligned by 2, argv_buf_size=ok)");
	end(r_args_sizes_get(RES + 2, RES2), 0);
}
static void c_args_sizes_get_fit(void) {
	begin("args_sizes_get(argc=END-8, argv_buf_size=END-4)");
	allow(E - 8, 8);
	int e = r_args_sizes_get(E - 8, E - 4);
	end(e, "argc %u", r32(E - 8));
}

// ------------------------------------------------------------ environment --

static void c_environ_get_env_ffff(void) {
	begin("environ_get(environ=0xFFFFFFF0, environ_buf=ok)");
	end(r_environ_get(FFF0, BUF), 0);
}
static void c_environ_get_env_end(void) {
	begin("environ_get(environ=END-4 (5 pointers straddle the end), environ_buf=ok)");
	end(r_environ_get(E - 4, BUF), 0);
}
static void c_environ_get_env_mis(void) {
	begin("environ_get(environ misaligned by 1, environ_buf=ok)");
	end(r_environ_get(RES + 1, BUF), 0);
}
static void c_environ_get_buf_ffff(void) {
	begin("environ_get(environ=ok, environ_buf=0xFFFFFFFF)");
	end(r_environ_get(RES, FFFF), 0);
}
static void c_environ_get_buf_end(void) {
	begin("environ_get(environ=ok, environ_buf=END-8 (strings straddle the end))");
	end(r_environ_get(RES, E - 8), 0);
}
static void c_environ_get_fit(void) {
	sizes(1);
	uint32_t buf = E - argsize_;
	begin("environ_get(environ=ok, environ_buf=END-size (exactly fits))");
	allow(RES, 4 * argc_);
	allow(buf, argsize_);
	int e = r_environ_get(RES, buf);
	uint32_t last = r32(RES + 4 * (argc_ - 1));
	end(e, "count %u, size %u, first %s, last %s", argc_, argsize_, quote(r32(RES), 14), quote(last, E - last));
}
static void c_environ_sizes_get_count_ffff(void) {
	begin("environ_sizes_get(count=0xFFFFFFFF, size=ok)");
	end(r_environ_sizes_get(FFFF, RES), 0);
}
static void c_environ_sizes_get_size_end(void) {
	begin("environ_sizes_get(count=ok, size=END)");
	end(r_environ_sizes_get(RES, E), 0);
}
static void c_environ_sizes_get_mis(void) {
	begin("environ_sizes_get(count misaligned by 2, size=ok)");
	end(r_environ_sizes_get(RES + 2, RES2), 0);
}
static void c_environ_sizes_get_fit(void) {
	begin("environ_sizes_get(count=END-8, size=END-4)");
	allow(E - 8, 8);
	int e = r_environ_sizes_get(E - 8, E - 4);
	end(e, "count %u, size %u", r32(E - 8), r32(E - 4));
}

// ----------------------------------------------------------------- clocks --

static void c_clock_res_get_ffff(void) {
	begin("clock_res_get(MONOTONIC, res=0xFFFFFFF8)");
	end(r_clock_res_get(__WASI_CLOCKID_MONOTONIC, FFF8), 0);
}
static void c_clock_res_get_end(void) {
	begin("clock_res_get(MONOTONIC, res=END)");
	end(r_clock_res_get(__WASI_CLOCKID_MONOTONIC, E), 0);
}
static void c_clock_res_get_straddle(void) {
	begin("clock_res_get(MONOTONIC, res=END-4 (straddles the end, 4-aligned))");
	end(r_clock_res_get(__WASI_CLOCKID_MONOTONIC, E - 4), 0);
}
static void c_clock_res_get_mis(void) {
	begin("clock_res_get(MONOTONIC, res 4 bytes off 8-alignment)");
	end(r_clock_res_get(__WASI_CLOCKID_MONOTONIC, RES + 4), 0);
}
// An argument outside its enum or flags type: every pointer is good, so that only the
// argument's checking decides.
static void c_clock_res_get_badid(void) {
	begin("clock_res_get(id 99, res=ok)");
	allow(RES, 8);
	end(r_clock_res_get(99, RES), 0);
}
static void c_clock_res_get_cpu(void) {
	begin("clock_res_get(PROCESS_CPUTIME_ID, res=0xFFFFFFF0)");
	end(r_clock_res_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, FFF0), 0);
}
static void c_clock_res_get_fit(void) {
	begin("clock_res_get(MONOTONIC, res=END-8)");
	allow(E - 8, 8);
	int e = r_clock_res_get(__WASI_CLOCKID_MONOTONIC, E - 8);
	end(e, "res > 0: %s", r64(E - 8) > 0 ? "true" : "false");
}
static void c_clock_time_get_ffff(void) {
	begin("clock_time_get(REALTIME, 0, time=0xFFFFFFF8)");
	end(r_clock_time_get(__WASI_CLOCKID_REALTIME, 0, FFF8), 0);
}
static void c_clock_time_get_end(void) {
	begin("clock_time_get(MONOTONIC, 0, time=END)");
	end(r_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, E), 0);
}
static void c_clock_time_get_straddle(void) {
	begin("clock_time_get(MONOTONIC, 0, time=END-4 (straddles the end, 4-aligned))");
	end(r_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, E - 4), 0);
}
static void c_clock_time_get_mis(void) {
	begin("clock_time_get(MONOTONIC, 0, time 4 bytes off 8-alignment)");
	end(r_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, RES + 4), 0);
}
static void c_clock_time_get_badid(void) {
	begin("clock_time_get(id 4, 0, time=ok)");
	allow(RES, 8);
	end(r_clock_time_get(4, 0, RES), 0);
}
static void c_clock_time_get_cpu(void) {
	begin("clock_time_get(THREAD_CPUTIME_ID, 0, time=0xFFFFFFF0)");
	end(r_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 0, FFF0), 0);
}
static void c_clock_time_get_fit(void) {
	begin("clock_time_get(REALTIME, 0, time=END-8)");
	allow(E - 8, 8);
	int e = r_clock_time_get(__WASI_CLOCKID_REALTIME, 0, E - 8);
	end(e, "time after 2020: %s", r64(E - 8) > 1577836800000000000ull ? "true" : "false");
}

// ----------------------------------------------------- fdstat and filestat --

static void c_fd_fdstat_get_ffff(void) {
	begin("fd_fdstat_get(1, stat=0xFFFFFFF0)");
	end(r_fd_fdstat_get(1, FFF0), 0);
}
static void c_fd_fdstat_get_end(void) {
	begin("fd_fdstat_get(1, stat=END-16 (24 bytes straddle the end))");
	end(r_fd_fdstat_get(1, E - 16), 0);
}
static void c_fd_fdstat_get_mis(void) {
	begin("fd_fdstat_get(1, stat 4 bytes off 8-alignment)");
	end(r_fd_fdstat_get(1, RES + 4), 0);
}
static void c_fd_fdstat_get_badfd(void) {
	begin("fd_fdstat_get(99, stat=0xFFFFFFF0)");
	end(r_fd_fdstat_get(99, FFF0), 0);
}
static void c_fd_fdstat_get_fit(void) {
	begin("fd_fdstat_get(/sandbox, stat=END-24)");
	allow(E - 24, 24);
	int e = r_fd_fdstat_get(root, E - 24);
	end(e, "filetype %u", M(E - 24)[0]);
}
static void c_fd_filestat_get_ffff(void) {
	begin("fd_filestat_get(/sandbox, stat=0xFFFFFFF0)");
	end(r_fd_filestat_get(root, FFF0), 0);
}
static void c_fd_filestat_get_end(void) {
	begin("fd_filestat_get(/sandbox, stat=END-32 (64 bytes straddle the end))");
	end(r_fd_filestat_get(root, E - 32), 0);
}
static void c_fd_filestat_get_mis(void) {
	begin("fd_filestat_get(/sandbox, stat 4 bytes off 8-alignment)");
	end(r_fd_filestat_get(root, RES + 4), 0);
}
static void c_fd_filestat_get_badfd(void) {
	begin("fd_filestat_get(99, stat=0xFFFFFFF0)");
	end(r_fd_filestat_get(99, FFF0), 0);
}
static void c_fd_filestat_get_stdout(void) {
	begin("fd_filestat_get(1, stat=0xFFFFFFF0)");
	end(r_fd_filestat_get(1, FFF0), 0);
}
static void c_fd_filestat_get_fit(void) {
	uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);
	begin("fd_filestat_get(hello.txt, stat=END-64)");
	allow(E - 64, 64);
	int e = r_fd_filestat_get(f, E - 64);
	end(e, "filetype %u, size %llu", M(E - 64)[16], (unsigned long long)r64(E - 64 + 32));
}

// ----------------------------------------------------------------- prestat --

static void c_fd_prestat_get_ffff(void) {
	begin("fd_prestat_get(/sandbox, prestat=0xFFFFFFF0)");
	end(r_fd_prestat_get(root, FFF0), 0);
}
static void c_fd_prestat_get_end(void) {
	begin("fd_prestat_get(/sandbox, prestat=END-4 (8 bytes straddle the end))");
	end(r_fd_prestat_get(root, E - 4), 0);
}
static void c_fd_prestat_get_mis(void) {
	begin("fd_prestat_get(/sandbox, prestat misaligned by 2)");
	end(r_fd_prestat_get(root, RES + 2), 0);
}
static void c_fd_prestat_get_badfd(void) {
	begin("fd_prestat_get(99, prestat=0xFFFFFFF0)");
	end(r_fd_prestat_get(99, FFF0), 0);
}
static void c_fd_prestat_get_notpre(void) {
	begin("fd_prestat_get(1, prestat=0xFFFFFFF0)");
	end(r_fd_prestat_get(1, FFF0), 0);
}
static void c_fd_prestat_get_fit(void) {
	begin("fd_prestat_get(/sandbox, prestat=END-8)");
	allow(E - 8, 8);
	int e = r_fd_prestat_get(root, E - 8);
	end(e, "tag %u, name_len %u", M(E - 8)[0], r32(E - 4));
}
static void c_fd_prestat_dir_name_ffff(void) {
	begin("fd_prestat_dir_name(/sandbox, path=0xFFFFFFF0, 8)");
	end(r_fd_prestat_dir_name(root, FFF0, 8), 0);
}
static void c_fd_prestat_dir_name_end(void) {
	begin("fd_prestat_dir_name(/sandbox, path=END-4, 8)");
	end(r_fd_prestat_dir_name(root, E - 4, 8), 0);
}
static void c_fd_prestat_dir_name_wrap(void) {
	begin("fd_prestat_dir_name(/sandbox, path=0xFFFFFFFC, 8) (wraps around 2^32)");
	end(r_fd_prestat_dir_name(root, 0xFFFFFFFCu, 8), 0);
}
static void c_fd_prestat_dir_name_huge(void) {
	begin("fd_prestat_dir_name(/sandbox, path=ok, 0x7FFFFFFF)");
	allow(BUF, 8);
	int e = r_fd_prestat_dir_name(root, BUF, HUGE);
	end(e, "name %s", quote(BUF, 8));
}
static void c_fd_prestat_dir_name_hugeend(void) {
	begin("fd_prestat_dir_name(/sandbox, path=END-8, 0xFFFFFFFF)");
	allow(E - 8, 8);
	int e = r_fd_prestat_dir_name(root, E - 8, FFFF);
	end(e, "name %s", quote(E - 8, 8));
}
static void c_fd_prestat_dir_name_short(void) {
	begin("fd_prestat_dir_name(/sandbox, path=0xFFFFFFF0, 4)");
	end(r_fd_prestat_dir_name(root, FFF0, 4), 0);
}
static void c_fd_prestat_dir_name_zero(void) {
	begin("fd_prestat_dir_name(/sandbox, path=0xFFFFFFF0, 0)");
	end(r_fd_prestat_dir_name(root, FFF0, 0), 0);
}
static void c_fd_prestat_dir_name_badfd(void) {
	begin("fd_prestat_dir_name(99, path=0xFFFFFFF0, 8)");
	end(r_fd_prestat_dir_name(99, FFF0, 8), 0);
}
static void c_fd_prestat_dir_name_notpre(void) {
	begin("fd_prestat_dir_name(1, path=0xFFFFFFF0, 8)");
	end(r_fd_prestat_dir_name(1, FFF0, 8), 0);
}
static void c_fd_prestat_dir_name_fit(void) {
	begin("fd_prestat_dir_name(/sandbox, path=END-8, 8)");
	allow(E - 8, 8);
	int e = r_fd_prestat_dir_name(root, E - 8, 8);
	end(e, "name %s", quote(E - 8, 8));
}

// ----------------------------------------------------------------- fd_read --
// From hello.txt ("Hello, WASI!\n", 13 bytes) unless said otherwise.

#define READ_CASE(name, desc, setup, fd, iovs, n, nread)                                    \
	static void c_##name(void) {                                                       \
		uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);                              \
		(void)f;                                                                   \
		setup;                                                                     \
		begin(desc);                                                               \
		end(r_fd_read(fd, iovs, n, nread), "nread %u", r32(RES));                    \
	}

READ_CASE(fd_read_iovs_ffff, "fd_read(hello.txt, iovs=0xFFFFFFF0, 1)", , f, FFF0, 1, RES)
READ_CASE(fd_read_iovs_end, "fd_read(hello.txt, iovs=END-4 (the iovec straddles the end), 1)", , f, E - 4, 1, RES)
READ_CASE(fd_read_iovs_mis, "fd_read(hello.txt, iovs misaligned by 2 (holding {ok, 16}), 1)", iov(IOV + 2, 0, BUF, 16), f,
          IOV + 2, 1, RES)
READ_CASE(fd_read_iov_ffff, "fd_read(hello.txt, [{0xFFFFFFF0, 16}])", iov(IOV, 0, FFF0, 16), f, IOV, 1, RES)
READ_CASE(fd_read_iov_end, "fd_read(hello.txt, [{END-8, 16}]) (the file has only 13 bytes)", iov(IOV, 0, E - 8, 16), f, IOV, 1,
          RES)
READ_CASE(fd_read_iov_endexact, "fd_read(hello.txt, [{END, 1}])", iov(IOV, 0, E, 1), f, IOV, 1, RES)
READ_CASE(fd_read_iov_huge, "fd_read(hello.txt, [{ok, 0x7FFFFFFF}])", iov(IOV, 0, BUF, HUGE), f, IOV, 1, RES)
READ_CASE(fd_read_iov_hugeff, "fd_read(hello.txt, [{ok, 0xFFFFFFFF}])", iov(IOV, 0, BUF, FFFF), f, IOV, 1, RES)
READ_CASE(fd_read_iov_wrap, "fd_read(hello.txt, [{0xFFFFFF00, 0x200}]) (wraps around 2^32)", iov(IOV, 0, WRAP, 0x200), f,
          IOV, 1, RES)
READ_CASE(fd_read_nread_ffff, "fd_read(hello.txt, [{ok, 16}], nread=0xFFFFFFFF)", iov(IOV, 0, BUF, 16), f, IOV, 1, FFFF)
READ_CASE(fd_read_nread_end, "fd_read(hello.txt, [{ok, 16}], nread=END)", iov(IOV, 0, BUF, 16), f, IOV, 1, E)
READ_CASE(fd_read_nread_mis, "fd_read(hello.txt, [{ok, 16}], nread misaligned by 1)", iov(IOV, 0, BUF, 16), f, IOV, 1,
          RES + 1)
READ_CASE(fd_read_badfd, "fd_read(99, iovs=0xFFFFFFF0, 1)", , 99, FFF0, 1, RES)
READ_CASE(fd_read_dir, "fd_read(/sandbox, iovs=0xFFFFFFF0, 1)", , root, FFF0, 1, RES)
READ_CASE(fd_read_stdout, "fd_read(1, iovs=0xFFFFFFF0, 1)", , 1, FFF0, 1, RES)
READ_CASE(fd_read_iovs_zero, "fd_read(hello.txt, iovs=0xFFFFFFF0, 0)", allow(RES, 4), f, FFF0, 0, RES)
READ_CASE(fd_read_iov_zero, "fd_read(hello.txt, [{0xFFFFFFF0, 0}])", iov(IOV, 0, FFF0, 0); allow(RES, 4), f, IOV, 1, RES)
READ_CASE(fd_read_iov_zeroend, "fd_read(hello.txt, [{END, 0}])", iov(IOV, 0, E, 0); allow(RES, 4), f, IOV, 1, RES)
READ_CASE(fd_read_iov2_oob, "fd_read(hello.txt, [{ok, 4}, {0xFFFFFFF0, 16}])",
          iov(IOV, 0, BUF, 4); iov(IOV, 1, FFF0, 16); allow(RES, 4); allow(BUF, 16), f, IOV, 2, RES)
READ_CASE(fd_read_iov1_empty, "fd_read(hello.txt, [{ok, 0}, {0xFFFFFFF0, 16}])", iov(IOV, 0, BUF, 0); iov(IOV, 1, FFF0, 16),
          f, IOV, 2, RES)
READ_CASE(fd_read_iovs_long,
          "fd_read(hello.txt, [{ok, 16}, ...], 0x10000000) (the array runs past the end; after the first iovec, memory "
          "holds non-empty out-of-bounds ones)",
          iov(IOV, 0, BUF, 16); allow(RES, 4); allow(BUF, 16), f, IOV, 0x10000000, RES)
READ_CASE(fd_read_iovs_longend, "fd_read(hello.txt, iovs=END-8 holding [{ok, 16}], 0x10000000)",
          iov(E - 8, 0, BUF, 16); allow(RES, 4); allow(BUF, 16), f, E - 8, 0x10000000, RES)
READ_CASE(fd_read_iovs_pastempty, "fd_read(hello.txt, iovs=END-8 holding [{ok, 0}], 2) (the second iovec is past the end)",
          iov(E - 8, 0, BUF, 0); allow(RES, 4), f, E - 8, 2, RES)
READ_CASE(fd_read_eof, "fd_read(empty.txt, [{0xFFFFFFF0, 16}]) (nothing to read)",
          f = sopen("empty.txt", 0, RIGHTS_RO); iov(IOV, 0, FFF0, 16); allow(RES, 4), f, IOV, 1, RES)

static void c_fd_read_fit(void) {
	uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);
	iov(IOV, 0, E - 13, 13);
	begin("fd_read(hello.txt, [{END-13, 13}], nread=END-20)");
	allow(E - 13, 13);
	allow(E - 20, 4);
	int e = r_fd_read(f, IOV, 1, E - 20);
	end(e, "nread %u, data %s", r32(E - 20), quote(E - 13, 13));
}

// Standard input: the fixture gives 26 bytes.
static void c_fd_read_stdin_iov(void) {
	iov(IOV, 0, E - 4, 16);
	begin("fd_read(0, [{END-4, 16}]) (stdin holds 26 bytes)");
	end(r_fd_read(0, IOV, 1, RES), "nread %u", r32(RES));
}
static void c_fd_read_stdin_eof(void) {
	// One read takes all of stdin. (Only one: under bench/wasiref, whose stdin is a
	// file, Wasmtime answers the first read at the end of the file with 0 bytes but
	// ends the program on the next one, "max blocking attempts exceeded".)
	iov(IOV, 0, BUF, 64);
	int e = r_fd_read(0, IOV, 1, RES);
	say("%s: setup: fd_read(0, 64 bytes): errno %d, nread %u", cname, e, r32(RES));
	iov(IOV, 0, FFF0, 16);
	begin("fd_read(0, [{0xFFFFFFF0, 16}]) at the end of stdin");
	allow(RES, 4);
	e = r_fd_read(0, IOV, 1, RES);
	end(e, "nread %u", r32(RES));
}

// ---------------------------------------------------------------- fd_pread --

#define PREAD_CASE(name, desc, setup, fd, iovs, n, off, nread)                              \
	static void c_##name(void) {                                                       \
		uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);                              \
		(void)f;                                                                   \
		setup;                                                                     \
		begin(desc);                                                               \
		end(r_fd_pread(fd, iovs, n, off, nread), "nread %u", r32(RES));            \
	}

PREAD_CASE(fd_pread_iovs_ffff, "fd_pread(hello.txt, iovs=0xFFFFFFF0, 1, 0)", , f, FFF0, 1, 0, RES)
PREAD_CASE(fd_pread_iov_ffff, "fd_pread(hello.txt, [{0xFFFFFFF0, 16}], 0)", iov(IOV, 0, FFF0, 16), f, IOV, 1, 0, RES)
PREAD_CASE(fd_pread_iov_end, "fd_pread(hello.txt, [{END-8, 16}], 0) (13 bytes to read)", iov(IOV, 0, E - 8, 16), f, IOV, 1, 0,
           RES)
PREAD_CASE(fd_pread_nread_ffff, "fd_pread(hello.txt, [{ok, 16}], 0, nread=0xFFFFFFFF)", iov(IOV, 0, BUF, 16), f, IOV, 1, 0,
           FFFF)
PREAD_CASE(fd_pread_nread_mis, "fd_pread(hello.txt, [{ok, 16}], 0, nread misaligned by 1)", iov(IOV, 0, BUF, 16), f, IOV, 1,
           0, RES + 1)
PREAD_CASE(fd_pread_badfd, "fd_pread(99, iovs=0xFFFFFFF0, 1, 0)", , 99, FFF0, 1, 0, RES)
PREAD_CASE(fd_pread_stdin, "fd_pread(0, iovs=0xFFFFFFF0, 1, 0)", , 0, FFF0, 1, 0, RES)
PREAD_CASE(fd_pread_dir, "fd_pread(/sandbox, iovs=0xFFFFFFF0, 1, 0)", , root, FFF0, 1, 0, RES)
PREAD_CASE(fd_pread_iovs_zero, "fd_pread(hello.txt, iovs=0xFFFFFFF0, 0, 0)", allow(RES, 4), f, FFF0, 0, 0, RES)
PREAD_CASE(fd_pread_iov2_oob, "fd_pread(hello.txt, [{ok, 4}, {0xFFFFFFF0, 16}], 0)",
           iov(IOV, 0, BUF, 4); iov(IOV, 1, FFF0, 16); allow(RES, 4); allow(BUF, 16), f, IOV, 2, 0, RES)

static void c_fd_pread_iov_endshort(void) {
	uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);
	iov(IOV, 0, E - 4, 16);
	begin("fd_pread(hello.txt, [{END-4, 16}], 10) (3 bytes to read, which fit)");
	allow(RES, 4);
	allow(E - 4, 4);
	int e = r_fd_pread(f, IOV, 1, 10, RES);
	end(e, "nread %u, data %s", r32(RES), quote(E - 4, r32(RES) <= 4 ? r32(RES) : 4));
}
static void c_fd_pread_eof(void) {
	uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);
	iov(IOV, 0, FFF0, 16);
	begin("fd_pread(hello.txt, [{0xFFFFFFF0, 16}], 13) (at the end of the file)");
	allow(RES, 4);
	int e = r_fd_pread(f, IOV, 1, 13, RES);
	end(e, "nread %u", r32(RES));
}
static void c_fd_pread_fit(void) {
	uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);
	iov(IOV, 0, E - 5, 5);
	begin("fd_pread(hello.txt, [{END-5, 5}], 7, nread=END-12)");
	allow(E - 5, 5);
	allow(E - 12, 4);
	int e = r_fd_pread(f, IOV, 1, 7, E - 12);
	end(e, "nread %u, data %s", r32(E - 12), quote(E - 5, 5));
}

// --------------------------------------------------------------- fd_pwrite --
// To oobwork/w.txt, created empty, unless said otherwise.

static const char *file_text(const char *path) {
	static char text[64];
	uint32_t fd = 0xFFFFFFFF, n = 0;
	text[0] = 0;
	if (r_path_open(root, FOLLOW, P(path), strlen(path), 0, RIGHTS_RO, 0, 0, P(&fd)) != 0) return "(cannot open)";
	__wasi_iovec_t v = {(uint8_t *)text, sizeof text - 1};
	if (r_fd_read(fd, P(&v), 1, P(&n)) != 0) n = 0;
	text[n] = 0;
	r_fd_close(fd);
	return text;
}

#define PWRITE_CASE(name, desc, setup, fd, iovs, n, nw)                                     \
	static void c_##name(void) {                                                       \
		uint32_t f = workfile("oobwork/w.txt");                                    \
		(void)f;                                                                   \
		setup;                                                                     \
		begin(desc);                                                               \
		int e = r_fd_pwrite(fd, iovs, n, 0, nw);                                   \
		end(e, "nwritten %u, file %s", r32(RES), quote(P(file_text("oobwork/w.txt")), \
							     strlen(file_text("oobwork/w.txt")))); \
	}

PWRITE_CASE(fd_pwrite_iovs_ffff, "fd_pwrite(w.txt, iovs=0xFFFFFFF0, 1, 0)", , f, FFF0, 1, RES)
PWRITE_CASE(fd_pwrite_iov_end, "fd_pwrite(w.txt, [{END-4, 8}], 0)", iov(IOV, 0, E - 4, 8), f, IOV, 1, RES)
PWRITE_CASE(fd_pwrite_iov_huge, "fd_pwrite(w.txt, [{ok, 0x7FFFFFFF}], 0)", iov(IOV, 0, BUF, HUGE), f, IOV, 1, RES)
PWRITE_CASE(fd_pwrite_nw_ffff, "fd_pwrite(w.txt, [{\"abc\", 3}], 0, nwritten=0xFFFFFFFF)", iov(IOV, 0, put(BUF, "abc"), 3), f,
            IOV, 1, FFFF)
PWRITE_CASE(fd_pwrite_nw_mis, "fd_pwrite(w.txt, [{\"abc\", 3}], 0, nwritten misaligned by 1)", iov(IOV, 0, put(BUF, "abc"), 3),
            f, IOV, 1, RES + 1)
PWRITE_CASE(fd_pwrite_badfd, "fd_pwrite(99, iovs=0xFFFFFFF0, 1, 0)", , 99, FFF0, 1, RES)
PWRITE_CASE(fd_pwrite_stdout, "fd_pwrite(1, iovs=0xFFFFFFF0, 1, 0)", , 1, FFF0, 1, RES)
PWRITE_CASE(fd_pwrite_dir, "fd_pwrite(/sandbox, iovs=0xFFFFFFF0, 1, 0)", , root, FFF0, 1, RES)
PWRITE_CASE(fd_pwrite_iovs_zero, "fd_pwrite(w.txt, iovs=0xFFFFFFF0, 0, 0)", allow(RES, 4), f, FFF0, 0, RES)
PWRITE_CASE(fd_pwrite_iov2_oob, "fd_pwrite(w.txt, [{\"abcd\", 4}, {0xFFFFFFF0, 16}], 0)",
            iov(IOV, 0, put(BUF, "abcd"), 4); iov(IOV, 1, FFF0, 16); allow(RES, 4), f, IOV, 2, RES)

static void c_fd_pwrite_fit(void) {
	uint32_t f = workfile("oobwork/w.txt");
	iov(IOV, 0, tail("tail!\n"), 6);
	begin("fd_pwrite(w.txt, [{END-6, 6}], 0, nwritten=END-12)");
	allow(E - 12, 4);
	int e = r_fd_pwrite(f, IOV, 1, 0, E - 12);
	const char *t = file_text("oobwork/w.txt");
	end(e, "nwritten %u, file %s", r32(E - 12), quote(P(t), strlen(t)));
}

// ---------------------------------------------------------------- fd_write --
// To standard output unless said otherwise.

#define WRITE_CASE(name, desc, setup, fd, iovs, n, nw)                                      \
	static void c_##name(void) {                                                       \
		setup;                                                                     \
		begin(desc);                                                               \
		end(r_fd_write(fd, iovs, n, nw), "nwritten %u", r32(RES));                 \
	}

WRITE_CASE(fd_write_iovs_ffff, "fd_write(1, iovs=0xFFFFFFF0, 1)", , 1, FFF0, 1, RES)
WRITE_CASE(fd_write_iovs_end, "fd_write(1, iovs=END-4 (the iovec straddles the end), 1)", , 1, E - 4, 1, RES)
WRITE_CASE(fd_write_iovs_mis, "fd_write(1, iovs misaligned by 2 (holding {\"mis\\n\", 4}), 1)",
           iov(IOV + 2, 0, put(BUF, "mis\n"), 4), 1, IOV + 2, 1, RES)
WRITE_CASE(fd_write_iov_ffff, "fd_write(1, [{0xFFFFFFF0, 16}])", iov(IOV, 0, FFF0, 16), 1, IOV, 1, RES)
WRITE_CASE(fd_write_iov_end, "fd_write(1, [{END-8, 16}])", iov(IOV, 0, E - 8, 16), 1, IOV, 1, RES)
WRITE_CASE(fd_write_iov_endexact, "fd_write(1, [{END, 1}])", iov(IOV, 0, E, 1), 1, IOV, 1, RES)
WRITE_CASE(fd_write_iov_huge, "fd_write(1, [{ok, 0x7FFFFFFF}])", iov(IOV, 0, BUF, HUGE), 1, IOV, 1, RES)
WRITE_CASE(fd_write_iov_hugeff, "fd_write(1, [{ok, 0xFFFFFFFF}])", iov(IOV, 0, BUF, FFFF), 1, IOV, 1, RES)
WRITE_CASE(fd_write_iov_wrap, "fd_write(1, [{0xFFFFFF00, 0x200}]) (wraps around 2^32)", iov(IOV, 0, WRAP, 0x200), 1, IOV, 1,
           RES)
WRITE_CASE(fd_write_nw_ffff, "fd_write(1, [{\"written before the bad nwritten\\n\", 32}], nwritten=0xFFFFFFFF)",
           iov(IOV, 0, put(BUF, "written before the bad nwritten\n"), 32), 1, IOV, 1, FFFF)
WRITE_CASE(fd_write_nw_end, "fd_write(1, [{\"written before the bad nwritten\\n\", 32}], nwritten=END)",
           iov(IOV, 0, put(BUF, "written before the bad nwritten\n"), 32), 1, IOV, 1, E)
WRITE_CASE(fd_write_nw_mis, "fd_write(1, [{\"written before the bad nwritten\\n\", 32}], nwritten misaligned by 1)",
           iov(IOV, 0, put(BUF, "written before the bad nwritten\n"), 32), 1, IOV, 1, RES + 1)
WRITE_CASE(fd_write_badfd, "fd_write(99, iovs=0xFFFFFFF0, 1)", , 99, FFF0, 1, RES)
WRITE_CASE(fd_write_stdin, "fd_write(0, iovs=0xFFFFFFF0, 1)", , 0, FFF0, 1, RES)
WRITE_CASE(fd_write_dir, "fd_write(/sandbox, iovs=0xFFFFFFF0, 1)", , root, FFF0, 1, RES)
WRITE_CASE(fd_write_iovs_zero, "fd_write(1, iovs=0xFFFFFFF0, 0)", allow(RES, 4), 1, FFF0, 0, RES)
WRITE_CASE(fd_write_iov_zero, "fd_write(1, [{0xFFFFFFF0, 0}])", iov(IOV, 0, FFF0, 0); allow(RES, 4), 1, IOV, 1, RES)
WRITE_CASE(fd_write_iov_zeroend, "fd_write(1, [{END, 0}])", iov(IOV, 0, E, 0); allow(RES, 4), 1, IOV, 1, RES)
WRITE_CASE(fd_write_iov2_oob, "fd_write(1, [{\"first\\n\", 6}, {0xFFFFFFF0, 16}])",
           iov(IOV, 0, put(BUF, "first\n"), 6); iov(IOV, 1, FFF0, 16); allow(RES, 4), 1, IOV, 2, RES)
WRITE_CASE(fd_write_iov1_empty, "fd_write(1, [{ok, 0}, {0xFFFFFFF0, 16}])", iov(IOV, 0, BUF, 0); iov(IOV, 1, FFF0, 16), 1, IOV,
           2, RES)
WRITE_CASE(fd_write_iovs_long,
           "fd_write(1, [{\"long\\n\", 5}, ...], 0x10000000) (the array runs past the end; after the first iovec, memory "
           "holds non-empty out-of-bounds ones)",
           iov(IOV, 0, put(BUF, "long\n"), 5); allow(RES, 4), 1, IOV, 0x10000000, RES)
WRITE_CASE(fd_write_iovs_longend, "fd_write(1, iovs=END-8 holding [{\"longend\\n\", 8}], 0x10000000)",
           iov(E - 8, 0, put(BUF, "longend\n"), 8); allow(RES, 4), 1, E - 8, 0x10000000, RES)
WRITE_CASE(fd_write_iovs_lenff, "fd_write(1, iovs=END-8 holding [{\"lenff\\n\", 6}], 0xFFFFFFFF)",
           iov(E - 8, 0, put(BUF, "lenff\n"), 6); allow(RES, 4), 1, E - 8, FFFF, RES)
WRITE_CASE(fd_write_iovs_pastempty, "fd_write(1, iovs=END-8 holding [{ok, 0}], 2) (the second iovec is past the end)",
           iov(E - 8, 0, BUF, 0); allow(RES, 4), 1, E - 8, 2, RES)

static void c_fd_write_fit(void) {
	uint32_t data = tail("end of memory\n");
	uint32_t iovs = (data - 8) & ~7u;
	iov(iovs, 0, data, 14);
	begin("fd_write(1, iovs=just below the data, [{END-14, 14}], nwritten=ok)");
	allow(RES, 4);
	end(r_fd_write(1, iovs, 1, RES), "nwritten %u", r32(RES));
}
static void c_fd_write_file_iov_end(void) {
	uint32_t f = workfile("oobwork/w.txt");
	iov(IOV, 0, E - 8, 16);
	begin("fd_write(w.txt, [{END-8, 16}])");
	end(r_fd_write(f, IOV, 1, RES), "nwritten %u", r32(RES));
}
static void c_fd_write_file_nw_ffff(void) {
	uint32_t f = workfile("oobwork/w.txt");
	iov(IOV, 0, put(BUF, "abc"), 3);
	begin("fd_write(w.txt, [{\"abc\", 3}], nwritten=0xFFFFFFFF)");
	end(r_fd_write(f, IOV, 1, FFFF), 0);
}

// -------------------------------------------------------------- fd_readdir --

static void c_fd_readdir_buf_ffff(void) {
	begin("fd_readdir(/sandbox, buf=0xFFFFFFF0, 64, cookie 0)");
	end(r_fd_readdir(root, FFF0, 64, 0, RES), "bufused %u", r32(RES));
}
static void c_fd_readdir_buf_end(void) {
	begin("fd_readdir(/sandbox, buf=END-8, 64, cookie 0)");
	end(r_fd_readdir(root, E - 8, 64, 0, RES), "bufused %u", r32(RES));
}
static void c_fd_readdir_buf_wrap(void) {
	begin("fd_readdir(/sandbox, buf=0xFFFFFF00, 0x200, cookie 0) (wraps around 2^32)");
	end(r_fd_readdir(root, WRAP, 0x200, 0, RES), "bufused %u", r32(RES));
}
static void c_fd_readdir_buf_huge(void) {
	begin("fd_readdir(/sandbox, buf=ok, 0xFFFFFFFF, cookie 0) (the entries fit in memory)");
	allow(BIG, 0x8000);
	allow(RES, 4);
	end(r_fd_readdir(root, BIG, FFFF, 0, RES), "bufused %u", r32(RES));
}
static void c_fd_readdir_buf_hugeend(void) {
	begin("fd_readdir(/sandbox, buf=END-64, 0x7FFFFFFF, cookie 0) (the entries do not fit)");
	end(r_fd_readdir(root, E - 64, HUGE, 0, RES), "bufused %u", r32(RES));
}
static void c_fd_readdir_eof(void) {
	begin("fd_readdir(/sandbox, buf=0xFFFFFFF0, 64, cookie 1000) (no entries left)");
	allow(RES, 4);
	end(r_fd_readdir(root, FFF0, 64, 1000, RES), "bufused %u", r32(RES));
}
static void c_fd_readdir_zero(void) {
	begin("fd_readdir(/sandbox, buf=0xFFFFFFF0, 0, cookie 0)");
	allow(RES, 4);
	end(r_fd_readdir(root, FFF0, 0, 0, RES), "bufused %u", r32(RES));
}
static void c_fd_readdir_used_ffff(void) {
	begin("fd_readdir(/sandbox, buf=ok, 64, cookie 0, bufused=0xFFFFFFFF)");
	end(r_fd_readdir(root, BIG, 64, 0, FFFF), 0);
}
static void c_fd_readdir_used_mis(void) {
	begin("fd_readdir(/sandbox, buf=ok, 64, cookie 0, bufused misaligned by 1)");
	end(r_fd_readdir(root, BIG, 64, 0, RES + 1), 0);
}
static void c_fd_readdir_badfd(void) {
	begin("fd_readdir(99, buf=0xFFFFFFF0, 64, cookie 0)");
	end(r_fd_readdir(99, FFF0, 64, 0, RES), 0);
}
static void c_fd_readdir_file(void) {
	uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);
	begin("fd_readdir(hello.txt, buf=0xFFFFFFF0, 64, cookie 0)");
	end(r_fd_readdir(f, FFF0, 64, 0, RES), 0);
}
static void c_fd_readdir_fit(void) {
	begin("fd_readdir(/sandbox, buf=END-40, 40, cookie 0, bufused=ok)");
	allow(E - 40, 40);
	allow(RES, 4);
	end(r_fd_readdir(root, E - 40, 40, 0, RES), "bufused %u", r32(RES));
}

// -------------------------------------------------------- fd_seek, fd_tell --

#define SEEK_CASE(name, desc, fd, off, whence, res)                                         \
	static void c_##name(void) {                                                       \
		uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);                              \
		(void)f;                                                                   \
		begin(desc);                                                               \
		end(r_fd_seek(fd, off, whence, res), 0);                                   \
	}
SEEK_CASE(fd_seek_ffff, "fd_seek(hello.txt, 5, SET, newoffset=0xFFFFFFF8)", f, 5, __WASI_WHENCE_SET, FFF8)
SEEK_CASE(fd_seek_end, "fd_seek(hello.txt, 5, SET, newoffset=END)", f, 5, __WASI_WHENCE_SET, E)
SEEK_CASE(fd_seek_straddle, "fd_seek(hello.txt, 5, SET, newoffset=END-4)", f, 5, __WASI_WHENCE_SET, E - 4)
SEEK_CASE(fd_seek_mis, "fd_seek(hello.txt, 5, SET, newoffset 4 bytes off 8-alignment)", f, 5, __WASI_WHENCE_SET, RES + 4)
SEEK_CASE(fd_seek_badwhence, "fd_seek(hello.txt, 5, whence 3, newoffset=ok)", f, 5, 3, RES)
SEEK_CASE(fd_seek_neg, "fd_seek(hello.txt, -1, SET, newoffset=0xFFFFFFF0)", f, -1, __WASI_WHENCE_SET, FFF0)
SEEK_CASE(fd_seek_badfd, "fd_seek(99, 5, SET, newoffset=0xFFFFFFF0)", 99, 5, __WASI_WHENCE_SET, FFF0)
SEEK_CASE(fd_seek_stdout, "fd_seek(1, 0, CUR, newoffset=0xFFFFFFF0)", 1, 0, __WASI_WHENCE_CUR, FFF0)
SEEK_CASE(fd_seek_dir, "fd_seek(/sandbox, 0, SET, newoffset=0xFFFFFFF0)", root, 0, __WASI_WHENCE_SET, FFF0)

static void c_fd_seek_fit(void) {
	uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);
	begin("fd_seek(hello.txt, 5, SET, newoffset=END-8)");
	allow(E - 8, 8);
	end(r_fd_seek(f, 5, __WASI_WHENCE_SET, E - 8), "newoffset %llu", (unsigned long long)r64(E - 8));
}

#define TELL_CASE(name, desc, fd, res)                                                      \
	static void c_##name(void) {                                                       \
		uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);                              \
		(void)f;                                                                   \
		begin(desc);                                                               \
		end(r_fd_tell(fd, res), 0);                                                \
	}
TELL_CASE(fd_tell_ffff, "fd_tell(hello.txt, offset=0xFFFFFFF8)", f, FFF8)
TELL_CASE(fd_tell_end, "fd_tell(hello.txt, offset=END)", f, E)
TELL_CASE(fd_tell_mis, "fd_tell(hello.txt, offset 4 bytes off 8-alignment)", f, RES + 4)
TELL_CASE(fd_tell_badfd, "fd_tell(99, offset=0xFFFFFFF0)", 99, FFF0)
TELL_CASE(fd_tell_stdout, "fd_tell(1, offset=0xFFFFFFF0)", 1, FFF0)
TELL_CASE(fd_tell_dir, "fd_tell(/sandbox, offset=0xFFFFFFF0)", root, FFF0)

static void c_fd_tell_fit(void) {
	uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);
	r_fd_seek(f, 7, __WASI_WHENCE_SET, RES2);
	begin("fd_tell(hello.txt, offset=END-8) after seeking to 7");
	allow(E - 8, 8);
	end(r_fd_tell(f, E - 8), "offset %llu", (unsigned long long)r64(E - 8));
}

// ------------------------------------------------------ paths, one argument --
// path_create_directory, path_remove_directory and path_unlink_file take a directory
// and a path; so do the others for their path argument.

static int mkdir_(uint32_t fd, ptr_t p, uint32_t n) { return r_path_create_directory(fd, p, n); }
static int rmdir_(uint32_t fd, ptr_t p, uint32_t n) { return r_path_remove_directory(fd, p, n); }
static int unlink_(uint32_t fd, ptr_t p, uint32_t n) { return r_path_unlink_file(fd, p, n); }

#define PATH1_CASES(fn, call, fitpath)                                                \
	static void c_##fn##_ffff(void) {                                                      \
		work();                                                                        \
		begin(#fn "(/sandbox, path=0xFFFFFFF0, 8)");                                   \
		end(call(root, FFF0, 8), 0);                                                   \
	}                                                                                      \
	static void c_##fn##_end(void) {                                                       \
		work();                                                                        \
		begin(#fn "(/sandbox, path=END-4 holding \"oobw\", 8)");                       \
		end(call(root, tail("oobw"), 8), 0);                                           \
	}                                                                                      \
	static void c_##fn##_endexact(void) {                                                  \
		work();                                                                        \
		begin(#fn "(/sandbox, path=END, 1)");                                          \
		end(call(root, E, 1), 0);                                                      \
	}                                                                                      \
	static void c_##fn##_huge(void) {                                                      \
		work();                                                                        \
		begin(#fn "(/sandbox, path=\"" fitpath "\", 0x7FFFFFFF)");                     \
		end(call(root, P(fitpath), HUGE), 0);                                          \
	}                                                                                      \
	static void c_##fn##_wrap(void) {                                                      \
		work();                                                                        \
		begin(#fn "(/sandbox, path=0xFFFFFFF0, 0x20) (wraps around 2^32)");            \
		end(call(root, FFF0, 0x20), 0);                                                \
	}                                                                                      \
	static void c_##fn##_zero(void) {                                                      \
		work();                                                                        \
		begin(#fn "(/sandbox, path=0xFFFFFFF0, 0)");                                   \
		end(call(root, FFF0, 0), 0);                                                   \
	}                                                                                      \
	static void c_##fn##_badfd(void) {                                                     \
		work();                                                                        \
		begin(#fn "(99, path=0xFFFFFFF0, 8)");                                         \
		end(call(99, FFF0, 8), 0);                                                     \
	}                                                                                      \
	static void c_##fn##_file(void) {                                                      \
		uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);                                  \
		begin(#fn "(hello.txt, path=0xFFFFFFF0, 8)");                                  \
		end(call(f, FFF0, 8), 0);                                                      \
	}                                                                                      \
	static void c_##fn##_fit(void) {                                                       \
		work();                                                                        \
		fitsetup(#fn);                                                                 \
		uint32_t p = tail(fitpath);                                                    \
		begin(#fn "(/sandbox, path=END-%u holding \"" fitpath "\", %u)", E - p, E - p); \
		int e = call(root, p, E - p);                                                  \
		end(e, "%s exists: %s", fitpath, exists(fitpath) ? "true" : "false");           \
	}

// the fit cases need something to remove
static void fitsetup(const char *fn) {
	if (strcmp(fn, "path_remove_directory") == 0) r_path_create_directory(root, S("oobwork/d1"));
	if (strcmp(fn, "path_unlink_file") == 0) {
		uint32_t f = sopen("oobwork/f1", CREAT, RIGHTS_RW);
		r_fd_close(f);
	}
}

PATH1_CASES(path_create_directory, mkdir_, "oobwork/d1")
PATH1_CASES(path_remove_directory, rmdir_, "oobwork/d1")
PATH1_CASES(path_unlink_file, unlink_, "oobwork/f1")

// ------------------------------------------------------- path_filestat_get --

static void c_path_filestat_get_path_end(void) {
	begin("path_filestat_get(/sandbox, FOLLOW, path=END-4 holding \"hell\", 9, stat=ok)");
	end(r_path_filestat_get(root, FOLLOW, tail("hell"), 9, RES), 0);
}
static void c_path_filestat_get_path_huge(void) {
	begin("path_filestat_get(/sandbox, FOLLOW, path=\"hello.txt\", 0x7FFFFFFF, stat=ok)");
	end(r_path_filestat_get(root, FOLLOW, P("hello.txt"), HUGE, RES), 0);
}
static void c_path_filestat_get_path_zero(void) {
	begin("path_filestat_get(/sandbox, FOLLOW, path=0xFFFFFFF0, 0, stat=ok)");
	end(r_path_filestat_get(root, FOLLOW, FFF0, 0, RES), 0);
}
static void c_path_filestat_get_out_ffff(void) {
	begin("path_filestat_get(/sandbox, FOLLOW, \"hello.txt\", stat=0xFFFFFFF0)");
	end(r_path_filestat_get(root, FOLLOW, S("hello.txt"), FFF0), 0);
}
static void c_path_filestat_get_out_end(void) {
	begin("path_filestat_get(/sandbox, FOLLOW, \"hello.txt\", stat=END-32 (64 bytes straddle the end))");
	end(r_path_filestat_get(root, FOLLOW, S("hello.txt"), E - 32), 0);
}
static void c_path_filestat_get_out_mis(void) {
	begin("path_filestat_get(/sandbox, FOLLOW, \"hello.txt\", stat 4 bytes off 8-alignment)");
	end(r_path_filestat_get(root, FOLLOW, S("hello.txt"), RES + 4), 0);
}
static void c_path_filestat_get_outside(void) {
	begin("path_filestat_get(/sandbox, FOLLOW, \"../outside.txt\", stat=0xFFFFFFF0)");
	end(r_path_filestat_get(root, FOLLOW, S("../outside.txt"), FFF0), 0);
}
static void c_path_filestat_get_outlink(void) {
	begin("path_filestat_get(/sandbox, FOLLOW, \"outlink\" (-> ../outside.txt), stat=0xFFFFFFF0)");
	end(r_path_filestat_get(root, FOLLOW, S("outlink"), FFF0), 0);
}
static void c_path_filestat_get_noent(void) {
	begin("path_filestat_get(/sandbox, FOLLOW, \"missing.txt\", stat=0xFFFFFFF0)");
	end(r_path_filestat_get(root, FOLLOW, S("missing.txt"), FFF0), 0);
}
static void c_path_filestat_get_badfd(void) {
	begin("path_filestat_get(99, FOLLOW, path=0xFFFFFFF0, 8, stat=0xFFFFFFF0)");
	end(r_path_filestat_get(99, FOLLOW, FFF0, 8, FFF0), 0);
}
static void c_path_filestat_get_badflags(void) {
	begin("path_filestat_get(/sandbox, lookupflags 2, \"hello.txt\", stat=ok) (no pointer is bad)");
	allow(RES, 64);
	end(r_path_filestat_get(root, 2, S("hello.txt"), RES), 0);
}
static void c_path_filestat_get_fit(void) {
	begin("path_filestat_get(/sandbox, FOLLOW, \"hello.link\", stat=END-64)");
	allow(E - 64, 64);
	int e = r_path_filestat_get(root, FOLLOW, S("hello.link"), E - 64);
	end(e, "filetype %u, size %llu", M(E - 64)[16], (unsigned long long)r64(E - 64 + 32));
}

// ------------------------------------------------- path_filestat_set_times --

#define MTIM_NOW __WASI_FSTFLAGS_MTIM_NOW
static void c_path_filestat_set_times_end(void) {
	begin("path_filestat_set_times(/sandbox, 0, path=END-4 holding \"hell\", 9, MTIM_NOW)");
	end(r_path_filestat_set_times(root, 0, tail("hell"), 9, 0, 0, MTIM_NOW), 0);
}
static void c_path_filestat_set_times_huge(void) {
	begin("path_filestat_set_times(/sandbox, 0, path=\"hello.txt\", 0x7FFFFFFF, MTIM_NOW)");
	end(r_path_filestat_set_times(root, 0, P("hello.txt"), HUGE, 0, 0, MTIM_NOW), 0);
}
static void c_path_filestat_set_times_badfst(void) {
	begin("path_filestat_set_times(/sandbox, 0, path=0xFFFFFFF0, 8, ATIM|ATIM_NOW)");
	end(r_path_filestat_set_times(root, 0, FFF0, 8, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), 0);
}
static void c_path_filestat_set_times_badfd(void) {
	begin("path_filestat_set_times(99, 0, path=0xFFFFFFF0, 8, MTIM_NOW)");
	end(r_path_filestat_set_times(99, 0, FFF0, 8, 0, 0, MTIM_NOW), 0);
}
static void c_path_filestat_set_times_outside(void) {
	begin("path_filestat_set_times(/sandbox, FOLLOW, \"outlink\" (-> ../outside.txt), MTIM_NOW) (no pointer is bad)");
	end(r_path_filestat_set_times(root, FOLLOW, S("outlink"), 0, 0, MTIM_NOW), 0);
}

// --------------------------------------------------------------- path_link --

static void c_path_link_old_end(void) {
	work();
	begin("path_link(/sandbox, 0, old=END-4 holding \"hell\", 9, /sandbox, \"oobwork/l1\")");
	end(r_path_link(root, 0, tail("hell"), 9, root, S("oobwork/l1")), 0);
}
static void c_path_link_new_end(void) {
	work();
	begin("path_link(/sandbox, 0, \"hello.txt\", /sandbox, new=END-4 holding \"oobw\", 10)");
	end(r_path_link(root, 0, S("hello.txt"), root, tail("oobw"), 10), 0);
}
static void c_path_link_old_huge(void) {
	work();
	begin("path_link(/sandbox, 0, old=\"hello.txt\", 0x7FFFFFFF, /sandbox, \"oobwork/l1\")");
	end(r_path_link(root, 0, P("hello.txt"), HUGE, root, S("oobwork/l1")), 0);
}
static void c_path_link_follow(void) {
	work();
	begin("path_link(/sandbox, FOLLOW, old=0xFFFFFFF0, 8, /sandbox, \"oobwork/l1\")");
	end(r_path_link(root, FOLLOW, FFF0, 8, root, S("oobwork/l1")), 0);
}
static void c_path_link_newfd_bad(void) {
	begin("path_link(/sandbox, 0, old=0xFFFFFFF0, 8, 99, \"l1\")");
	end(r_path_link(root, 0, FFF0, 8, 99, S("l1")), 0);
}
static void c_path_link_outside(void) {
	begin("path_link(/sandbox, 0, \"../outside.txt\", /sandbox, new=0xFFFFFFF0, 8)");
	end(r_path_link(root, 0, S("../outside.txt"), root, FFF0, 8), 0);
}
static void c_path_link_fit(void) {
	work();
	uint32_t p = tail("oobwork/l1");
	begin("path_link(/sandbox, 0, \"hello.txt\", /sandbox, new=END-10 holding \"oobwork/l1\", 10)");
	int e = r_path_link(root, 0, S("hello.txt"), root, p, 10);
	end(e, "oobwork/l1 %s", quote(P(file_text("oobwork/l1")), strlen(file_text("oobwork/l1"))));
}

// --------------------------------------------------------------- path_open --

static int open_at(uint32_t dirfd, uint32_t lookup, ptr_t path, uint32_t len, uint32_t oflags, uint64_t rights,
                   uint32_t fdflags, ptr_t res) {
	return r_path_open(dirfd, lookup, path, len, oflags, rights, rights, fdflags, res);
}

static void c_path_open_path_endexact(void) {
	begin("path_open(/sandbox, FOLLOW, path=END, 1, fd=ok)");
	end(open_at(root, FOLLOW, E, 1, 0, RIGHTS_RO, 0, RES), 0);
}
static void c_path_open_path_end(void) {
	begin("path_open(/sandbox, FOLLOW, path=END-4 holding \"hell\", 9, fd=ok)");
	end(open_at(root, FOLLOW, tail("hell"), 9, 0, RIGHTS_RO, 0, RES), 0);
}
static void c_path_open_path_huge(void) {
	begin("path_open(/sandbox, FOLLOW, path=\"hello.txt\", 0x7FFFFFFF, fd=ok)");
	end(open_at(root, FOLLOW, P("hello.txt"), HUGE, 0, RIGHTS_RO, 0, RES), 0);
}
static void c_path_open_path_hugeff(void) {
	begin("path_open(/sandbox, FOLLOW, path=\"hello.txt\", 0xFFFFFFFF, fd=ok)");
	end(open_at(root, FOLLOW, P("hello.txt"), FFFF, 0, RIGHTS_RO, 0, RES), 0);
}
static void c_path_open_path_wrap(void) {
	begin("path_open(/sandbox, FOLLOW, path=0xFFFFFFF0, 0x20, fd=ok) (wraps around 2^32)");
	end(open_at(root, FOLLOW, FFF0, 0x20, 0, RIGHTS_RO, 0, RES), 0);
}
static void c_path_open_path_zero(void) {
	begin("path_open(/sandbox, FOLLOW, path=0xFFFFFFF0, 0, fd=ok)");
	end(open_at(root, FOLLOW, FFF0, 0, 0, RIGHTS_RO, 0, RES), 0);
}
static void c_path_open_path_zeroend(void) {
	begin("path_open(/sandbox, FOLLOW, path=END, 0, fd=ok)");
	end(open_at(root, FOLLOW, E, 0, 0, RIGHTS_RO, 0, RES), 0);
}
static void c_path_open_path_zeroin(void) {
	begin("path_open(/sandbox, FOLLOW, path=ok, 0, fd=ok)");
	end(open_at(root, FOLLOW, BUF, 0, 0, RIGHTS_RO, 0, RES), 0);
}
static void c_path_open_badfd(void) {
	begin("path_open(99, FOLLOW, path=0xFFFFFFF0, 8, fd=ok)");
	end(open_at(99, FOLLOW, FFF0, 8, 0, RIGHTS_RO, 0, RES), 0);
}
static void c_path_open_badfd_fd(void) {
	begin("path_open(99, FOLLOW, \"hello.txt\", fd=0xFFFFFFFF)");
	end(open_at(99, FOLLOW, S("hello.txt"), 0, RIGHTS_RO, 0, FFFF), 0);
}
static void c_path_open_fd_ffff(void) {
	begin("path_open(/sandbox, FOLLOW, \"hello.txt\", fd=0xFFFFFFFF)");
	end(open_at(root, FOLLOW, S("hello.txt"), 0, RIGHTS_RO, 0, FFFF), 0);
}
static void c_path_open_fd_end(void) {
	begin("path_open(/sandbox, FOLLOW, \"hello.txt\", fd=END)");
	end(open_at(root, FOLLOW, S("hello.txt"), 0, RIGHTS_RO, 0, E), 0);
}
static void c_path_open_fd_mis(void) {
	begin("path_open(/sandbox, FOLLOW, \"hello.txt\", fd misaligned by 1)");
	end(open_at(root, FOLLOW, S("hello.txt"), 0, RIGHTS_RO, 0, RES + 1), 0);
}
static void c_path_open_outside(void) {
	begin("path_open(/sandbox, FOLLOW, \"../outside.txt\", fd=0xFFFFFFFF)");
	end(open_at(root, FOLLOW, S("../outside.txt"), 0, RIGHTS_RO, 0, FFFF), 0);
}
static void c_path_open_outlink(void) {
	begin("path_open(/sandbox, FOLLOW, \"outlink\" (-> ../outside.txt), fd=0xFFFFFFFF)");
	end(open_at(root, FOLLOW, S("outlink"), 0, RIGHTS_RO, 0, FFFF), 0);
}
static void c_path_open_abs(void) {
	begin("path_open(/sandbox, FOLLOW, \"/etc/passwd\", fd=0xFFFFFFFF)");
	end(open_at(root, FOLLOW, S("/etc/passwd"), 0, RIGHTS_RO, 0, FFFF), 0);
}
static void c_path_open_trunc_outlink(void) {
	begin("path_open(/sandbox, FOLLOW, \"outlink\" (-> ../outside.txt), CREAT|TRUNC, read-write, fd=0xFFFFFFFF)");
	end(open_at(root, FOLLOW, S("outlink"), CREAT | TRUNC, RIGHTS_RW, 0, FFFF), 0);
}
static void c_path_open_creat_outside(void) {
	begin("path_open(/sandbox, FOLLOW, \"../created.txt\", CREAT, read-write, fd=0xFFFFFFFF)");
	end(open_at(root, FOLLOW, S("../created.txt"), CREAT, RIGHTS_RW, 0, FFFF), 0);
}
static void c_path_open_creat_outdir(void) {
	begin("path_open(/sandbox, FOLLOW, \"outdir/new.txt\" (outdir -> ../outside), CREAT, read-write, fd=END)");
	end(open_at(root, FOLLOW, S("outdir/new.txt"), CREAT, RIGHTS_RW, 0, E), 0);
}
static void c_path_open_noent(void) {
	begin("path_open(/sandbox, FOLLOW, \"missing.txt\", fd=0xFFFFFFFF)");
	end(open_at(root, FOLLOW, S("missing.txt"), 0, RIGHTS_RO, 0, FFFF), 0);
}
static void c_path_open_loop(void) {
	begin("path_open(/sandbox, FOLLOW, \"loop1\", fd=0xFFFFFFFF)");
	end(open_at(root, FOLLOW, S("loop1"), 0, RIGHTS_RO, 0, FFFF), 0);
}
static void c_path_open_nofollow(void) {
	begin("path_open(/sandbox, 0, \"hello.link\" (a symlink), fd=0xFFFFFFFF)");
	end(open_at(root, 0, S("hello.link"), 0, RIGHTS_RO, 0, FFFF), 0);
}
static void c_path_open_creat_fd_ffff(void) {
	work();
	begin("path_open(/sandbox, FOLLOW, \"oobwork/new.txt\", CREAT, read-write, fd=0xFFFFFFFF)");
	end(open_at(root, FOLLOW, S("oobwork/new.txt"), CREAT, RIGHTS_RW, 0, FFFF), 0);
}
static void c_path_open_badoflags(void) {
	begin("path_open(/sandbox, FOLLOW, \"hello.txt\", oflags 0x10, fd=ok) (no pointer is bad)");
	allow(RES, 4);
	end(open_at(root, FOLLOW, S("hello.txt"), 0x10, RIGHTS_RO, 0, RES), 0);
}
static void c_path_open_badlookup(void) {
	begin("path_open(/sandbox, lookupflags 2, \"hello.txt\", fd=ok) (no pointer is bad)");
	allow(RES, 4);
	end(open_at(root, 2, S("hello.txt"), 0, RIGHTS_RO, 0, RES), 0);
}
static void c_path_open_badfdflags(void) {
	begin("path_open(/sandbox, FOLLOW, \"hello.txt\", fdflags 0x20, fd=ok) (no pointer is bad)");
	allow(RES, 4);
	end(open_at(root, FOLLOW, S("hello.txt"), 0, RIGHTS_RO, 0x20, RES), 0);
}
static void c_path_open_badrights(void) {
	begin("path_open(/sandbox, FOLLOW, \"hello.txt\", rights with bit 40, fd=ok) (no pointer is bad)");
	allow(RES, 4);
	end(open_at(root, FOLLOW, S("hello.txt"), 0, RIGHTS_RO | (1ull << 40), 0, RES), 0);
}
static void c_path_open_fit(void) {
	uint32_t p = tail("hello.txt");
	begin("path_open(/sandbox, FOLLOW, path=END-9 holding \"hello.txt\", 9, fd=END-16)");
	allow(E - 16, 4);
	int e = open_at(root, FOLLOW, p, 9, 0, RIGHTS_RO, 0, E - 16);
	uint64_t pos = 99;
	int e2 = r_fd_seek(r32(E - 16), 0, __WASI_WHENCE_END, P(&pos));
	end(e, "fd usable: %s, size %llu", e2 == 0 ? "true" : "false", (unsigned long long)pos);
}

// ----------------------------------------------------------- path_readlink --

#define RL(path, buf, len, used) r_path_readlink(root, S(path), buf, len, used)

static void c_path_readlink_path_end(void) {
	begin("path_readlink(/sandbox, path=END-4 holding \"hell\", 10, buf=ok, 16)");
	end(r_path_readlink(root, tail("hell"), 10, BUF, 16, RES), 0);
}
static void c_path_readlink_path_huge(void) {
	begin("path_readlink(/sandbox, path=\"hello.link\", 0x7FFFFFFF, buf=ok, 16)");
	end(r_path_readlink(root, P("hello.link"), HUGE, BUF, 16, RES), 0);
}
static void c_path_readlink_buf_ffff(void) {
	begin("path_readlink(/sandbox, \"hello.link\", buf=0xFFFFFFF0, 16)");
	end(RL("hello.link", FFF0, 16, RES), 0);
}
static void c_path_readlink_buf_end(void) {
	begin("path_readlink(/sandbox, \"hello.link\" (9-byte target), buf=END-4, 16)");
	end(RL("hello.link", E - 4, 16, RES), 0);
}
static void c_path_readlink_buf_wrap(void) {
	begin("path_readlink(/sandbox, \"hello.link\", buf=0xFFFFFF00, 0x200) (wraps around 2^32)");
	end(RL("hello.link", WRAP, 0x200, RES), 0);
}
static void c_path_readlink_buf_huge(void) {
	begin("path_readlink(/sandbox, \"hello.link\", buf=ok, 0x7FFFFFFF)");
	allow(BUF, 9);
	allow(RES, 4);
	end(RL("hello.link", BUF, HUGE, RES), "bufused %u, %s", r32(RES), quote(BUF, 9));
}
static void c_path_readlink_buf_hugeend(void) {
	begin("path_readlink(/sandbox, \"hello.link\", buf=END-9, 0xFFFFFFFF)");
	allow(E - 9, 9);
	allow(RES, 4);
	end(RL("hello.link", E - 9, FFFF, RES), "bufused %u, %s", r32(RES), quote(E - 9, 9));
}
static void c_path_readlink_buf_zero(void) {
	begin("path_readlink(/sandbox, \"hello.link\", buf=0xFFFFFFF0, 0)");
	allow(RES, 4);
	end(RL("hello.link", FFF0, 0, RES), "bufused %u", r32(RES));
}
static void c_path_readlink_buf_short(void) {
	begin("path_readlink(/sandbox, \"hello.link\", buf=END-3, 3)");
	allow(E - 3, 3);
	allow(RES, 4);
	end(RL("hello.link", E - 3, 3, RES), "bufused %u, %s", r32(RES), quote(E - 3, 3));
}
static void c_path_readlink_used_ffff(void) {
	begin("path_readlink(/sandbox, \"hello.link\", buf=ok, 16, bufused=0xFFFFFFFF)");
	end(RL("hello.link", BUF, 16, FFFF), 0);
}
static void c_path_readlink_used_mis(void) {
	begin("path_readlink(/sandbox, \"hello.link\", buf=ok, 16, bufused misaligned by 1)");
	end(RL("hello.link", BUF, 16, RES + 1), 0);
}
static void c_path_readlink_notlink(void) {
	begin("path_readlink(/sandbox, \"hello.txt\" (not a symlink), buf=0xFFFFFFF0, 16, bufused=0xFFFFFFFF)");
	end(RL("hello.txt", FFF0, 16, FFFF), 0);
}
static void c_path_readlink_abs(void) {
	begin("path_readlink(/sandbox, \"passwd\" (-> /etc/passwd), buf=0xFFFFFFF0, 16, bufused=0xFFFFFFFF)");
	end(RL("passwd", FFF0, 16, FFFF), 0);
}
static void c_path_readlink_outside(void) {
	begin("path_readlink(/sandbox, \"../outside.txt\", buf=0xFFFFFFF0, 16, bufused=0xFFFFFFFF)");
	end(RL("../outside.txt", FFF0, 16, FFFF), 0);
}
static void c_path_readlink_badfd(void) {
	begin("path_readlink(99, path=0xFFFFFFF0, 8, buf=0xFFFFFFF0, 16)");
	end(r_path_readlink(99, FFF0, 8, FFF0, 16, RES), 0);
}
static void c_path_readlink_fit(void) {
	begin("path_readlink(/sandbox, \"outlink\" (-> ../outside.txt), buf=END-14, 14, bufused=END-20)");
	allow(E - 14, 14);
	allow(E - 20, 4);
	end(RL("outlink", E - 14, 14, E - 20), "bufused %u, %s", r32(E - 20), quote(E - 14, 14));
}

// ------------------------------------------------------------- path_rename --

static void c_path_rename_old_end(void) {
	work();
	begin("path_rename(/sandbox, old=END-4 holding \"hell\", 9, /sandbox, \"oobwork/r2\")");
	end(r_path_rename(root, tail("hell"), 9, root, S("oobwork/r2")), 0);
}
static void c_path_rename_new_end(void) {
	r_fd_close(workfile("oobwork/r1"));
	begin("path_rename(/sandbox, \"oobwork/r1\", /sandbox, new=END-4 holding \"oobw\", 10)");
	end(r_path_rename(root, S("oobwork/r1"), root, tail("oobw"), 10), 0);
}
static void c_path_rename_new_huge(void) {
	r_fd_close(workfile("oobwork/r1"));
	begin("path_rename(/sandbox, \"oobwork/r1\", /sandbox, new=\"oobwork/r2\", 0x7FFFFFFF)");
	end(r_path_rename(root, S("oobwork/r1"), root, P("oobwork/r2"), HUGE), 0);
}
static void c_path_rename_newfd_bad(void) {
	begin("path_rename(/sandbox, old=0xFFFFFFF0, 8, 99, \"r2\")");
	end(r_path_rename(root, FFF0, 8, 99, S("r2")), 0);
}
static void c_path_rename_outside(void) {
	begin("path_rename(/sandbox, \"../outside.txt\", /sandbox, new=0xFFFFFFF0, 8)");
	end(r_path_rename(root, S("../outside.txt"), root, FFF0, 8), 0);
}
static void c_path_rename_fit(void) {
	r_fd_close(workfile("oobwork/r1"));
	uint32_t p = tail("oobwork/r2");
	begin("path_rename(/sandbox, \"oobwork/r1\", /sandbox, new=END-10 holding \"oobwork/r2\", 10)");
	int e = r_path_rename(root, S("oobwork/r1"), root, p, 10);
	end(e, "r1 exists: %s, r2 exists: %s", exists("oobwork/r1") ? "true" : "false",
	    exists("oobwork/r2") ? "true" : "false");
}

// ------------------------------------------------------------ path_symlink --

static void c_path_symlink_old_end(void) {
	work();
	begin("path_symlink(old=END-4 holding \"hell\", 9, /sandbox, \"oobwork/s1\")");
	end(r_path_symlink(tail("hell"), 9, root, S("oobwork/s1")), 0);
}
static void c_path_symlink_new_end(void) {
	work();
	begin("path_symlink(\"hello.txt\", /sandbox, new=END-4 holding \"oobw\", 10)");
	end(r_path_symlink(S("hello.txt"), root, tail("oobw"), 10), 0);
}
static void c_path_symlink_old_huge(void) {
	work();
	begin("path_symlink(old=\"hello.txt\", 0x7FFFFFFF, /sandbox, \"oobwork/s1\")");
	end(r_path_symlink(P("hello.txt"), HUGE, root, S("oobwork/s1")), 0);
}
static void c_path_symlink_old_zero(void) {
	work();
	begin("path_symlink(old=0xFFFFFFF0, 0, /sandbox, \"oobwork/s1\")");
	end(r_path_symlink(FFF0, 0, root, S("oobwork/s1")), 0);
}
static void c_path_symlink_badfd(void) {
	begin("path_symlink(old=0xFFFFFFF0, 8, 99, \"s1\")");
	end(r_path_symlink(FFF0, 8, 99, S("s1")), 0);
}
static void c_path_symlink_abs(void) {
	begin("path_symlink(\"/etc/passwd\", /sandbox, new=0xFFFFFFF0, 8)");
	end(r_path_symlink(S("/etc/passwd"), root, FFF0, 8), 0);
}
static void c_path_symlink_outside(void) {
	begin("path_symlink(\"hello.txt\", /sandbox, \"../s1\") (no pointer is bad)");
	end(r_path_symlink(S("hello.txt"), root, S("../s1")), 0);
}
static void c_path_symlink_fit(void) {
	work();
	uint32_t t = tail("../hello.txt");
	begin("path_symlink(old=END-12 holding \"../hello.txt\", 12, /sandbox, \"oobwork/s1\")");
	int e = r_path_symlink(t, 12, root, S("oobwork/s1"));
	end(e, "through the link: %s", quote(P(file_text("oobwork/s1")), strlen(file_text("oobwork/s1"))));
}

// ------------------------------------------------------------- poll_oneoff --
// A subscription is 48 bytes, an event 32.

static void clocksub(uint32_t a, uint64_t userdata, uint64_t timeout) {
	memset(M(a), 0, 48);
	w64(a, userdata);
	M(a)[8] = __WASI_EVENTTYPE_CLOCK;
	w32(a + 16, __WASI_CLOCKID_MONOTONIC);
	w64(a + 24, timeout);
}

static const char *event(uint32_t a) {
	static char s[96];
	snprintf(s, sizeof s, "userdata %llu error %u type %u", (unsigned long long)r64(a), r16(a + 8), M(a)[10]);
	return s;
}

#define POLL_CASE(name, desc, setup, in, outp, n, nev)                                      \
	static void c_##name(void) {                                                       \
		setup;                                                                     \
		begin(desc);                                                               \
		end(r_poll_oneoff(in, outp, n, nev), "nevents %u", r32(RES));              \
	}

POLL_CASE(poll_oneoff_in_ffff, "poll_oneoff(in=0xFFFFFFF0, out=ok, 1, nevents=ok)", , FFF0, BUF, 1, RES)
POLL_CASE(poll_oneoff_in_end,
          "poll_oneoff(in=END-24 (userdata, clock tag and id inside, the timeout past the end), out=ok, 1, nevents=ok)",
          w64(E - 24, 7);
          M(E - 16)[0] = __WASI_EVENTTYPE_CLOCK; w32(E - 8, __WASI_CLOCKID_MONOTONIC), E - 24, BUF, 1, RES)
POLL_CASE(poll_oneoff_in_mis, "poll_oneoff(in 4 bytes off 8-alignment (a 0-timeout clock), out=ok, 1, nevents=ok)",
          clocksub(BIG + 4, 7, 0), BIG + 4, BUF, 1, RES)
POLL_CASE(poll_oneoff_in_past, "poll_oneoff(in=END-48 (a 0-timeout clock), out=ok, 2, nevents=ok) (the second is past the end)",
          clocksub(E - 48, 7, 0), E - 48, BUF, 2, RES)
POLL_CASE(poll_oneoff_out_ffff, "poll_oneoff(in=ok (a 0-timeout clock), out=0xFFFFFFF0, 1, nevents=ok)", clocksub(BIG, 7, 0),
          BIG, FFF0, 1, RES)
POLL_CASE(poll_oneoff_out_end, "poll_oneoff(in=ok (a 0-timeout clock), out=END-16, 1, nevents=ok)", clocksub(BIG, 7, 0), BIG,
          E - 16, 1, RES)
POLL_CASE(poll_oneoff_out_mis, "poll_oneoff(in=ok (a 0-timeout clock), out 4 bytes off 8-alignment, 1, nevents=ok)",
          clocksub(BIG, 7, 0), BIG, BUF + 4, 1, RES)
POLL_CASE(poll_oneoff_nev_ffff, "poll_oneoff(in=ok (a 0-timeout clock), out=ok, 1, nevents=0xFFFFFFFF)", clocksub(BIG, 7, 0),
          BIG, BUF, 1, FFFF)
POLL_CASE(poll_oneoff_nev_mis, "poll_oneoff(in=ok (a 0-timeout clock), out=ok, 1, nevents misaligned by 1)",
          clocksub(BIG, 7, 0), BIG, BUF, 1, RES + 1)
POLL_CASE(poll_oneoff_zero, "poll_oneoff(in=0xFFFFFFF0, out=0xFFFFFFF0, 0, nevents=0xFFFFFFFF)", , FFF0, FFF0, 0, FFFF)
POLL_CASE(poll_oneoff_badtag, "poll_oneoff(in=ok (event type 7), out=0xFFFFFFF0, 1, nevents=0xFFFFFFFF)",
          clocksub(BIG, 7, 0);
          M(BIG)[8] = 7, BIG, FFF0, 1, FFFF)

static void c_poll_oneoff_nsubs_wrap(void) {
	// 1000 subscriptions end exactly at the end of memory
	uint32_t in = E - 48 * 1000;
	for (uint32_t i = 0; i < 1000; i++) clocksub(in + 48 * i, i, 0);
	begin("poll_oneoff(in=END-48000 [1000 0-timeout clocks], out=ok, 0x05555556, nevents=ok) (48*n wraps around 2^32)");
	allow(BUF, 1000 * 32);
	allow(RES, 4);
	int e = r_poll_oneoff(in, BUF, 0x05555556, RES);
	end(e, "nevents %u", r32(RES));
}

static void c_poll_oneoff_out_short(void) {
	clocksub(BIG, 1, 0);
	clocksub(BIG + 48, 2, 10000000000ull);
	begin("poll_oneoff(in=ok [0-timeout clock, 10 s clock], out=END-32 (room for one event), 2, nevents=ok)");
	allow(E - 32, 32);
	allow(RES, 4);
	int e = r_poll_oneoff(BIG, E - 32, 2, RES);
	end(e, "nevents %u, %s", r32(RES), event(E - 32));
}
static void c_poll_oneoff_many(void) {
	// 1025 subscriptions: BIG holds them (49200 bytes), the events go to the second page
	uint32_t in = BIG, outp = V + 0x10000;
	for (uint32_t i = 0; i < 1025; i++) clocksub(in + 48 * i, i, 0);
	begin("poll_oneoff(in=ok [1025 0-timeout clocks], out=ok, 1025, nevents=ok)");
	allow(outp, 1025 * 32);
	allow(RES, 4);
	int e = r_poll_oneoff(in, outp, 1025, RES);
	end(e, "nevents %u", r32(RES));
}
static void c_poll_oneoff_fit(void) {
	clocksub(E - 48, 7, 0);
	begin("poll_oneoff(in=END-48 (a 0-timeout clock), out=ok, 1, nevents=ok)");
	allow(BUF, 32);
	allow(RES, 4);
	int e = r_poll_oneoff(E - 48, BUF, 1, RES);
	end(e, "nevents %u, %s", r32(RES), event(BUF));
}
static void c_poll_oneoff_outfit(void) {
	clocksub(BIG, 7, 0);
	begin("poll_oneoff(in=ok (a 0-timeout clock), out=END-32, 1, nevents=END-36)");
	allow(E - 36, 36);
	int e = r_poll_oneoff(BIG, E - 32, 1, E - 36);
	end(e, "nevents %u, %s", r32(E - 36), event(E - 32));
}

// -------------------------------------------------------------- random_get --

static void c_random_get_ffff(void) {
	begin("random_get(buf=0xFFFFFFF0, 32)");
	end(r_random_get(FFF0, 32), 0);
}
static void c_random_get_end(void) {
	begin("random_get(buf=END-8, 16)");
	end(r_random_get(E - 8, 16), 0);
}
static void c_random_get_endexact(void) {
	begin("random_get(buf=END, 1)");
	end(r_random_get(E, 1), 0);
}
static void c_random_get_huge(void) {
	begin("random_get(buf=ok, 0x7FFFFFFF)");
	end(r_random_get(BUF, HUGE), 0);
}
static void c_random_get_wrap(void) {
	begin("random_get(buf=0xFFFFFF00, 0x200) (wraps around 2^32)");
	end(r_random_get(WRAP, 0x200), 0);
}
static void c_random_get_zero(void) {
	begin("random_get(buf=0xFFFFFFF0, 0)");
	end(r_random_get(FFF0, 0), 0);
}
static void c_random_get_zeroend(void) {
	begin("random_get(buf=END, 0)");
	end(r_random_get(E, 0), 0);
}
static void c_random_get_fit(void) {
	begin("random_get(buf=END-16, 16)");
	allow(E - 16, 16);
	int e = r_random_get(E - 16, 16);
	end(e, "bytes changed: %s", memcmp(M(E - 16), snap + (E - 16 - V), 16) != 0 ? "true" : "false");
}

// ----------------------------------------------------------------- sockets --

static void c_sock_accept_badfd(void) {
	begin("sock_accept(99, 0, fd=0xFFFFFFFF)");
	end(r_sock_accept(99, 0, FFFF), 0);
}
static void c_sock_accept_file(void) {
	uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);
	begin("sock_accept(hello.txt, 0, fd=0xFFFFFFFF)");
	end(r_sock_accept(f, 0, FFFF), 0);
}
static void c_sock_accept_dir(void) {
	begin("sock_accept(/sandbox, 0, fd=0xFFFFFFFF)");
	end(r_sock_accept(root, 0, FFFF), 0);
}
static void c_sock_recv_badfd(void) {
	begin("sock_recv(99, iovs=0xFFFFFFF0, 1, 0, datalen=0xFFFFFFFF, flags=0xFFFFFFFF)");
	end(r_sock_recv(99, FFF0, 1, 0, FFFF, FFFF), 0);
}
static void c_sock_recv_file(void) {
	uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);
	begin("sock_recv(hello.txt, iovs=0xFFFFFFF0, 1, 0, datalen=0xFFFFFFFF, flags=0xFFFFFFFF)");
	end(r_sock_recv(f, FFF0, 1, 0, FFFF, FFFF), 0);
}
static void c_sock_recv_stdin(void) {
	iov(IOV, 0, BUF, 16);
	begin("sock_recv(0, [{ok, 16}], 1, 0, datalen=0xFFFFFFFF, flags=0xFFFFFFFF)");
	end(r_sock_recv(0, IOV, 1, 0, FFFF, FFFF), 0);
}
static void c_sock_send_badfd(void) {
	begin("sock_send(99, iovs=0xFFFFFFF0, 1, 0, datalen=0xFFFFFFFF)");
	end(r_sock_send(99, FFF0, 1, 0, FFFF), 0);
}
static void c_sock_send_file(void) {
	uint32_t f = sopen("hello.txt", 0, RIGHTS_RO);
	begin("sock_send(hello.txt, iovs=0xFFFFFFF0, 1, 0, datalen=0xFFFFFFFF)");
	end(r_sock_send(f, FFF0, 1, 0, FFFF), 0);
}
static void c_sock_send_stdout(void) {
	iov(IOV, 0, put(BUF, "sock_send\n"), 10);
	begin("sock_send(1, [{\"sock_send\\n\", 10}], 1, 0, datalen=0xFFFFFFFF)");
	end(r_sock_send(1, IOV, 1, 0, FFFF), 0);
}

// --------------------------------------------------------------- proc_exit --

#define EXIT_CASE(name, code)                                                               \
	static void c_##name(void) {                                                       \
		begin("proc_exit(" #code ")");                                             \
		r_proc_exit(code);                                                         \
	}
EXIT_CASE(proc_exit_0, 0)
EXIT_CASE(proc_exit_125, 125)
EXIT_CASE(proc_exit_126, 126)
EXIT_CASE(proc_exit_255, 255)
EXIT_CASE(proc_exit_256, 0x100)

// ------------------------------------------------------------------- table --

#define C(n) {#n, c_##n}
static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
    C(args_get_argv_ffff), C(args_get_argv_end), C(args_get_argv_mis), C(args_get_buf_ffff), C(args_get_buf_end),
    C(args_get_fit), C(args_sizes_get_argc_ffff), C(args_sizes_get_size_end), C(args_sizes_get_mis),
    C(args_sizes_get_fit),

    C(environ_get_env_ffff), C(environ_get_env_end), C(environ_get_env_mis), C(environ_get_buf_ffff),
    C(environ_get_buf_end), C(environ_get_fit), C(environ_sizes_get_count_ffff), C(environ_sizes_get_size_end),
    C(environ_sizes_get_mis), C(environ_sizes_get_fit),

    C(clock_res_get_ffff), C(clock_res_get_end), C(clock_res_get_straddle), C(clock_res_get_mis),
    C(clock_res_get_badid), C(clock_res_get_cpu), C(clock_res_get_fit), C(clock_time_get_ffff),
    C(clock_time_get_end), C(clock_time_get_straddle), C(clock_time_get_mis), C(clock_time_get_badid),
    C(clock_time_get_cpu), C(clock_time_get_fit),

    C(fd_fdstat_get_ffff), C(fd_fdstat_get_end), C(fd_fdstat_get_mis), C(fd_fdstat_get_badfd),
    C(fd_fdstat_get_fit), C(fd_filestat_get_ffff), C(fd_filestat_get_end), C(fd_filestat_get_mis),
    C(fd_filestat_get_badfd), C(fd_filestat_get_stdout), C(fd_filestat_get_fit),

    C(fd_prestat_get_ffff), C(fd_prestat_get_end), C(fd_prestat_get_mis), C(fd_prestat_get_badfd),
    C(fd_prestat_get_notpre), C(fd_prestat_get_fit), C(fd_prestat_dir_name_ffff), C(fd_prestat_dir_name_end), C(fd_prestat_dir_name_wrap),
    C(fd_prestat_dir_name_huge), C(fd_prestat_dir_name_hugeend), C(fd_prestat_dir_name_short),
    C(fd_prestat_dir_name_zero), C(fd_prestat_dir_name_badfd), C(fd_prestat_dir_name_notpre),
    C(fd_prestat_dir_name_fit),

    C(fd_read_iovs_ffff), C(fd_read_iovs_end), C(fd_read_iovs_mis), C(fd_read_iov_ffff), C(fd_read_iov_end),
    C(fd_read_iov_endexact), C(fd_read_iov_huge), C(fd_read_iov_hugeff), C(fd_read_iov_wrap), C(fd_read_nread_ffff),
    C(fd_read_nread_end), C(fd_read_nread_mis), C(fd_read_badfd), C(fd_read_dir), C(fd_read_stdout),
    C(fd_read_iovs_zero), C(fd_read_iov_zero), C(fd_read_iov_zeroend), C(fd_read_iov2_oob), C(fd_read_iov1_empty),
    C(fd_read_iovs_long), C(fd_read_iovs_longend), C(fd_read_iovs_pastempty), C(fd_read_eof), C(fd_read_fit),
    C(fd_read_stdin_iov), C(fd_read_stdin_eof),

    C(fd_pread_iovs_ffff), C(fd_pread_iov_ffff), C(fd_pread_iov_end), C(fd_pread_nread_ffff), C(fd_pread_nread_mis),
    C(fd_pread_badfd), C(fd_pread_stdin), C(fd_pread_dir), C(fd_pread_iovs_zero), C(fd_pread_iov2_oob),
    C(fd_pread_iov_endshort), C(fd_pread_eof), C(fd_pread_fit),

    C(fd_pwrite_iovs_ffff), C(fd_pwrite_iov_end), C(fd_pwrite_iov_huge), C(fd_pwrite_nw_ffff), C(fd_pwrite_nw_mis), C(fd_pwrite_badfd),
    C(fd_pwrite_stdout), C(fd_pwrite_dir), C(fd_pwrite_iovs_zero), C(fd_pwrite_iov2_oob), C(fd_pwrite_fit),

    C(fd_write_iovs_ffff), C(fd_write_iovs_end), C(fd_write_iovs_mis), C(fd_write_iov_ffff), C(fd_write_iov_end),
    C(fd_write_iov_endexact), C(fd_write_iov_huge), C(fd_write_iov_hugeff), C(fd_write_iov_wrap),
    C(fd_write_nw_ffff), C(fd_write_nw_end), C(fd_write_nw_mis), C(fd_write_badfd), C(fd_write_stdin),
    C(fd_write_dir), C(fd_write_iovs_zero), C(fd_write_iov_zero), C(fd_write_iov_zeroend), C(fd_write_iov2_oob),
    C(fd_write_iov1_empty), C(fd_write_iovs_long), C(fd_write_iovs_longend), C(fd_write_iovs_lenff),
    C(fd_write_iovs_pastempty), C(fd_write_fit), C(fd_write_file_iov_end), C(fd_write_file_nw_ffff),

    C(fd_readdir_buf_ffff), C(fd_readdir_buf_end), C(fd_readdir_buf_wrap), C(fd_readdir_buf_huge), C(fd_readdir_buf_hugeend),
    C(fd_readdir_eof), C(fd_readdir_zero), C(fd_readdir_used_ffff), C(fd_readdir_used_mis), C(fd_readdir_badfd),
    C(fd_readdir_file), C(fd_readdir_fit),

    C(fd_seek_ffff), C(fd_seek_end), C(fd_seek_straddle), C(fd_seek_mis), C(fd_seek_badwhence), C(fd_seek_neg),
    C(fd_seek_badfd), C(fd_seek_stdout), C(fd_seek_dir), C(fd_seek_fit), C(fd_tell_ffff), C(fd_tell_end),
    C(fd_tell_mis), C(fd_tell_badfd), C(fd_tell_stdout), C(fd_tell_dir), C(fd_tell_fit),

    C(path_create_directory_ffff), C(path_create_directory_end), C(path_create_directory_endexact),
    C(path_create_directory_huge), C(path_create_directory_wrap), C(path_create_directory_zero),
    C(path_create_directory_badfd), C(path_create_directory_file), C(path_create_directory_fit),
    C(path_remove_directory_ffff), C(path_remove_directory_end), C(path_remove_directory_endexact),
    C(path_remove_directory_huge), C(path_remove_directory_wrap), C(path_remove_directory_zero),
    C(path_remove_directory_badfd), C(path_remove_directory_file), C(path_remove_directory_fit),
    C(path_unlink_file_ffff), C(path_unlink_file_end), C(path_unlink_file_endexact), C(path_unlink_file_huge),
    C(path_unlink_file_wrap), C(path_unlink_file_zero), C(path_unlink_file_badfd), C(path_unlink_file_file),
    C(path_unlink_file_fit),

    C(path_filestat_get_path_end), C(path_filestat_get_path_huge), C(path_filestat_get_path_zero),
    C(path_filestat_get_out_ffff), C(path_filestat_get_out_end), C(path_filestat_get_out_mis),
    C(path_filestat_get_outside), C(path_filestat_get_outlink), C(path_filestat_get_noent),
    C(path_filestat_get_badfd), C(path_filestat_get_badflags), C(path_filestat_get_fit),

    C(path_filestat_set_times_end), C(path_filestat_set_times_huge), C(path_filestat_set_times_badfst),
    C(path_filestat_set_times_badfd), C(path_filestat_set_times_outside),

    C(path_link_old_end), C(path_link_new_end), C(path_link_old_huge), C(path_link_follow), C(path_link_newfd_bad),
    C(path_link_outside), C(path_link_fit),

    C(path_open_path_endexact), C(path_open_path_end), C(path_open_path_huge), C(path_open_path_hugeff),
    C(path_open_path_wrap), C(path_open_path_zero), C(path_open_path_zeroend),
    C(path_open_path_zeroin), C(path_open_badfd), C(path_open_badfd_fd), C(path_open_fd_ffff),
    C(path_open_fd_end), C(path_open_fd_mis), C(path_open_outside), C(path_open_outlink), C(path_open_abs),
    C(path_open_trunc_outlink), C(path_open_creat_outside), C(path_open_creat_outdir), C(path_open_noent),
    C(path_open_loop), C(path_open_nofollow), C(path_open_creat_fd_ffff), C(path_open_badoflags),
    C(path_open_badlookup), C(path_open_badfdflags), C(path_open_badrights), C(path_open_fit),

    C(path_readlink_path_end), C(path_readlink_path_huge), C(path_readlink_buf_ffff), C(path_readlink_buf_end),
    C(path_readlink_buf_wrap), C(path_readlink_buf_huge), C(path_readlink_buf_hugeend), C(path_readlink_buf_zero),
    C(path_readlink_buf_short), C(path_readlink_used_ffff), C(path_readlink_used_mis), C(path_readlink_notlink),
    C(path_readlink_abs), C(path_readlink_outside), C(path_readlink_badfd), C(path_readlink_fit),

    C(path_rename_old_end), C(path_rename_new_end), C(path_rename_new_huge), C(path_rename_newfd_bad),
    C(path_rename_outside), C(path_rename_fit),

    C(path_symlink_old_end), C(path_symlink_new_end), C(path_symlink_old_huge), C(path_symlink_old_zero),
    C(path_symlink_badfd), C(path_symlink_abs), C(path_symlink_outside), C(path_symlink_fit),

    C(poll_oneoff_in_ffff), C(poll_oneoff_in_end), C(poll_oneoff_in_mis), C(poll_oneoff_in_past),
    C(poll_oneoff_out_ffff), C(poll_oneoff_out_end), C(poll_oneoff_out_mis), C(poll_oneoff_nev_ffff),
    C(poll_oneoff_nev_mis), C(poll_oneoff_zero), C(poll_oneoff_badtag), C(poll_oneoff_nsubs_wrap),
    C(poll_oneoff_out_short), C(poll_oneoff_many), C(poll_oneoff_fit), C(poll_oneoff_outfit),

    C(random_get_ffff), C(random_get_end), C(random_get_endexact), C(random_get_huge), C(random_get_wrap),
    C(random_get_zero), C(random_get_zeroend), C(random_get_fit),

    C(sock_accept_badfd), C(sock_accept_file), C(sock_accept_dir), C(sock_recv_badfd), C(sock_recv_file),
    C(sock_recv_stdin), C(sock_send_badfd), C(sock_send_file), C(sock_send_stdout),

    C(proc_exit_0), C(proc_exit_125), C(proc_exit_126), C(proc_exit_255), C(proc_exit_256),
};
#define NCASES (sizeof cases / sizeof cases[0])

int main(int argc, char **argv) {
	find_root();
	// the scratch pages: fresh memory at the end, filled with a pattern so that a stray
	// write shows and an iovec read from it is non-empty and out of bounds
	uint32_t old = (uint32_t)__builtin_wasm_memory_grow(0, SCRATCH / 65536);
	if (old == 0xFFFFFFFF) {
		say("memory.grow failed");
		r_proc_exit(1);
	}
	E = (uint32_t)__builtin_wasm_memory_size(0) * 65536;
	V = E - SCRATCH;
	memset(M(V), 0xA5, SCRATCH);
	const char *want = argc > 0 ? argv[argc - 1] : "";
	for (unsigned i = 0; i < NCASES; i++) {
		if (strcmp(want, cases[i].name) != 0) continue;
		cname = cases[i].name;
		cases[i].fn();
		say("%s: not reached", cname);
		r_proc_exit(0);
	}
	say("oob: %u cases; run one by giving its name as the last argument:", (unsigned)NCASES);
	for (unsigned i = 0; i < NCASES; i++) say("%s", cases[i].name);
	r_proc_exit(0);
}
