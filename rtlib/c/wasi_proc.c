// wasi_proc.c: the process's side of wasi_snapshot_preview1: arguments, environment,
// clocks, randomness, exit, signals and yielding.
#include "wasi.h"

#define WASI(name) WASMC_EXPORT(#name) uint32_t name

extern uint64_t env_addr[];
extern uint32_t env_len[];
extern uint32_t env_count;

static uint64_t arg_addr(uint32_t i) { return wasmc_host_load64(argv_ + 8 * (uint64_t)i); }

// strings_sizes and strings_get serve both the arguments and the environment: count
// strings, the i-th at addr(i) of len(i) bytes.
typedef uint64_t (*addr_fn)(uint32_t);
typedef uint32_t (*len_fn)(uint32_t);

static uint32_t arg_len(uint32_t i) { return host_strlen(arg_addr(i)); }
static uint64_t envv_addr(uint32_t i) { return env_addr[i]; }
static uint32_t envv_len(uint32_t i) { return env_len[i]; }

static uint32_t strings_sizes(uint32_t count, len_fn len, uint32_t countp, uint32_t sizep) {
	uint64_t size = 0;
	for (uint32_t i = 0; i < count; i++)
		size += (uint64_t)len(i) + 1;
	if (size > 0xffffffffu)
		return E_2BIG;
	put32(countp, count);
	put32(sizep, (uint32_t)size);
	return E_SUCCESS;
}

static uint32_t strings_get(uint32_t count, addr_fn addr, len_fn len, uint32_t ptrs, uint32_t buf) {
	uint64_t size = 0;
	for (uint32_t i = 0; i < count; i++)
		size += (uint64_t)len(i) + 1;
	uint64_t h = guest(buf, size, 1);
	guest(ptrs, 4 * (uint64_t)count, 4);
	uint32_t at = buf;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t n = len(i);
		put32(ptrs + 4 * i, at);
		wasmc_host_move(h, addr(i), n);
		// The NUL: the host string has one after it, but an --env string does not.
		static const char nul = 0;
		wasmc_guest_write(at + n, &nul, 1);
		h += n + 1;
		at += n + 1;
	}
	return E_SUCCESS;
}

static uint32_t nargs(void) { return (uint32_t)argc_; }

WASI(args_sizes_get)(uint32_t argc, uint32_t size) {
	return strings_sizes(nargs(), arg_len, argc, size);
}
WASI(args_get)(uint32_t argv, uint32_t buf) {
	return strings_get(nargs(), arg_addr, arg_len, argv, buf);
}
WASI(environ_sizes_get)(uint32_t count, uint32_t size) {
	return strings_sizes(env_count, envv_len, count, size);
}
WASI(environ_get)(uint32_t environ, uint32_t buf) {
	return strings_get(env_count, envv_addr, envv_len, environ, buf);
}

#ifdef WASMC_DARWIN
// host_clock is Darwin's id of WASI clock id, 0 or 1.
#define host_clock(id) ((id) == 0 ? D_CLOCK_REALTIME : D_CLOCK_MONOTONIC)
#else
#define host_clock(id) (id)
#endif

// WASI's clock ids are Linux's: realtime, monotonic, process and thread CPU time. As in
// Wasmtime, the CPU-time clocks are not offered (they would let a program time other
// processes' work on the machine): EBADF.
WASI(clock_res_get)(uint32_t id, uint32_t res) {
	if (id > 3)
		bad_arg("clock id");
	if (id > 1)
		return E_BADF;
	static int64_t ts[2];
	int64_t r = sys(WASMC_SYS_clock_getres, host_clock(id), (int64_t)wasmc_rt_host(ts), 0, 0, 0, 0);
	if (r < 0)
		return errno_of(r);
	return put64(res, (uint64_t)ts[0] * 1000000000ull + (uint64_t)ts[1]);
}

uint32_t clock_now(uint32_t id, uint64_t *now) {
	if (id > 3)
		return E_INVAL;
	if (id > 1)
		return E_BADF;
	static int64_t ts[2];
	int64_t r = sys(WASMC_SYS_clock_gettime, host_clock(id), (int64_t)wasmc_rt_host(ts), 0, 0, 0, 0);
	if (r < 0)
		return errno_of(r);
	*now = (uint64_t)ts[0] * 1000000000ull + (uint64_t)ts[1];
	return E_SUCCESS;
}

WASI(clock_time_get)(uint32_t id, uint64_t precision, uint32_t time) {
	(void)precision;
	if (id > 3)
		bad_arg("clock id");
	uint64_t now;
	uint32_t e = clock_now(id, &now);
	return e ? e : put64(time, now);
}

WASI(random_get)(uint32_t buf, uint32_t len) {
	uint64_t h = guest(buf, len, 1);
	while (len > 0) {
#ifdef WASMC_DARWIN
		// getentropy fills at most 256 bytes a call, and says 0 when it has.
		int64_t r = len < D_GETENTROPY_MAX ? len : D_GETENTROPY_MAX;
		int64_t e = sys(WASMC_SYS_getentropy, (int64_t)h, r, 0, 0, 0, 0);
		if (e < 0)
			r = e;
#else
		int64_t r = sys(WASMC_SYS_getrandom, (int64_t)h, len, 0, 0, 0, 0);
#endif
		if (r < 0)
			return errno_of(r);
		h += (uint64_t)r;
		len -= (uint32_t)r;
	}
	return E_SUCCESS;
}

WASMC_EXPORT("proc_exit") __attribute__((noreturn)) void proc_exit(uint32_t code) {
	// Every status a native program can exit with, 0 to 255, is passed through, as
	// wazero and node do and as the native build of the same program would (Wasmtime's
	// CLI refuses 126 and up, which a shell would read as "not executable", "not found"
	// or a signal; a native program is free to return those, and so is this one). A
	// status the kernel would truncate, 256 and up, is refused rather than turned into
	// its low byte: proc_exit(256) must not look like success.
	if (code > 255) {
		char num[12];
		uint32_t n = (uint32_t)wasmc_utoa(num, code, 10);
		die("proc_exit: exit status outside of [0..255]:", 0, wasmc_rt_host(num), n, 0);
	}
	wasmc_syscall(WASMC_SYS_exit_group, code, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}

// As Wasmtime: raising a signal is not supported.
WASI(proc_raise)(uint32_t sig) {
	if (sig > 30)
		bad_arg("signal");
	return E_NOTSUP;
}

WASI(sched_yield)(void) { return errno_of(sys(WASMC_SYS_sched_yield, 0, 0, 0, 0, 0, 0)); }
