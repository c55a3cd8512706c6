// wall.c: the second wall (DESIGN.md decision 13; the policy is rtlib/wall.go). Process
// entry calls wasmc_wall after start-up (the descriptors, listeners and preopens are set
// up) and before any guest code, the modules' instantiation included. It restricts the
// process in three steps, each for good:
//
//   1. no_new_privs, which both Landlock and seccomp need from an unprivileged process;
//   2. Landlock, where the kernel has ABI 2 or later: the file system shrinks to the
//      preopened directories, with the rights WASI uses there, and no TCP bind or
//      connect (ABI 4), no signal to another process or abstract socket (ABI 6);
//   3. the seccomp filter wasmc built for the target, which forbids everything not in
//      rtlib/wall.go's list, Landlock's and seccomp's own calls included.
//
// Landlock ABI 1 (Linux 5.13 to 5.18) refuses every rename or link into another
// directory, which WASI programs do, so it is not used. Without Landlock (an older
// kernel, one booted without it, qemu-user, which implements none of its calls) the
// seccomp filter still stands. Without seccomp (ENOSYS: qemu-user again, or a kernel
// built without it) the program runs without the filter: the runtime's own sandbox is
// the first wall and still holds. Any other failure is a bug or a kernel wasmc does not
// know, and the program stops rather than run with less than it was built for.
#include "wasi.h"

#define L_PR_SET_NO_NEW_PRIVS 38
#define L_SECCOMP_SET_MODE_FILTER 1
#define L_EOPNOTSUPP 95

// linux/landlock.h.
#define LL_CREATE_RULESET_VERSION 1
#define LL_RULE_PATH_BENEATH 1
#define LL_FS_EXECUTE (1ull << 0)
#define LL_FS_WRITE_FILE (1ull << 1)
#define LL_FS_READ_FILE (1ull << 2)
#define LL_FS_READ_DIR (1ull << 3)
#define LL_FS_REMOVE_DIR (1ull << 4)
#define LL_FS_REMOVE_FILE (1ull << 5)
#define LL_FS_MAKE_DIR (1ull << 7)
#define LL_FS_MAKE_REG (1ull << 8)
#define LL_FS_MAKE_SYM (1ull << 12)
#define LL_FS_ABI1 ((1ull << 13) - 1) // EXECUTE … MAKE_SYM
#define LL_FS_REFER (1ull << 13)      // ABI 2
#define LL_FS_TRUNCATE (1ull << 14)   // ABI 3
#define LL_FS_IOCTL_DEV (1ull << 15)  // ABI 5
#define LL_NET_BIND_TCP 1ull          // ABI 4
#define LL_NET_CONNECT_TCP 2ull
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET 1ull // ABI 6
#define LL_SCOPE_SIGNAL 2ull

// The rights a preopened directory gives beneath it: what WASI's path and descriptor
// calls do. Not executing, not making devices, sockets or FIFOs (WASI has no call for
// any of them), no ioctl.
#define LL_PREOPEN                                                                          \
	(LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_READ_DIR | LL_FS_REMOVE_DIR |          \
	 LL_FS_REMOVE_FILE | LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SYM)

// landlock restricts the file system to the preopens, if the kernel has Landlock.
static void landlock(void) {
	int64_t abi = sys(WASMC_SYS_landlock_create_ruleset, 0, 0, LL_CREATE_RULESET_VERSION, 0, 0, 0);
	if (abi < 2)
		return; // none (ENOSYS, EOPNOTSUPP when booted without it), or ABI 1: see above
	// struct landlock_ruleset_attr {handled_access_fs, handled_access_net, scoped}, of
	// which the kernel reads as much as its ABI knows.
	static uint64_t attr[3];
	uint64_t size = 8;
	uint64_t fs = LL_FS_ABI1 | LL_FS_REFER, grant = LL_PREOPEN | LL_FS_REFER;
	if (abi >= 3) {
		fs |= LL_FS_TRUNCATE;
		grant |= LL_FS_TRUNCATE;
	}
	if (abi >= 5)
		fs |= LL_FS_IOCTL_DEV;
	attr[0] = fs;
	if (abi >= 4) {
		attr[1] = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
		size = 16;
	}
	if (abi >= 6) {
		attr[2] = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
		size = 24;
	}
	int64_t rs = sys(WASMC_SYS_landlock_create_ruleset, (int64_t)wasmc_rt_host(attr), size, 0, 0, 0, 0);
	if (rs < 0)
		die("the second wall: landlock_create_ruleset (--no-os-sandbox turns the wall off):", 0, 0, 0, rs);
	// struct landlock_path_beneath_attr {u64 allowed_access; s32 parent_fd}, packed.
	static uint8_t beneath[12];
	for (int i = 0; i < MAX_FDS; i++) {
		if (fds[i].kind != K_DIR || !fds[i].preopen)
			continue;
		le64(beneath, grant);
		le32(beneath + 8, (uint32_t)fds[i].host);
		int64_t r = sys(WASMC_SYS_landlock_add_rule, rs, LL_RULE_PATH_BENEATH,
				(int64_t)wasmc_rt_host(beneath), 0, 0, 0);
		if (r < 0)
			die("the second wall: landlock_add_rule (--no-os-sandbox turns the wall off):", 0, 0, 0, r);
	}
	int64_t r = sys(WASMC_SYS_landlock_restrict_self, rs, 0, 0, 0, 0, 0);
	if (r < 0)
		die("the second wall: landlock_restrict_self (--no-os-sandbox turns the wall off):", 0, 0, 0, r);
	sys(WASMC_SYS_close, rs, 0, 0, 0, 0, 0);
}

// The wall's data (rtlib.Wall), read in place through a cursor.
static uint64_t wd, wd_end;

static uint32_t wd_u32(void) {
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		if (wd >= wd_end)
			die("corrupt wall data", 0, 0, 0, 0);
		v |= wasmc_host_load8(wd++) << (8 * i);
	}
	return v;
}

// The filter, copied into runtime memory so that the process's id can be filled in:
// struct sock_filter {u16 code; u8 jt, jf; u32 k} as one little-endian word each.
#define MAX_FILTER 1024
static uint64_t filter[MAX_FILTER];
#define MAX_SELF 8
static uint32_t self_at[MAX_SELF];

WASMC_EXPORT("wasmc_wall") void wasmc_wall(void) {
	uint64_t desc = wasmc_wall_data();
	if (desc == 0)
		return; // built with --no-os-sandbox
	wd = wasmc_host_load64(desc + WASMC_SEG_BASE);
	wd_end = wd + wasmc_host_load64(desc + WASMC_SEG_LENGTH);
	if (wd_u32() != 0x314c5757) // "WWL1"
		die("corrupt wall data", 0, 0, 0, 0);
	uint32_t nself = wd_u32();
	if (nself > MAX_SELF)
		die("corrupt wall data", 0, 0, 0, 0);
	for (uint32_t i = 0; i < nself; i++)
		self_at[i] = wd_u32();
	uint32_t n = wd_u32();
	if (n == 0 || n > MAX_FILTER)
		die("corrupt wall data", 0, 0, 0, 0);
	for (uint32_t i = 0; i < n; i++)
		filter[i] = (uint64_t)wd_u32() | (uint64_t)wd_u32() << 32;
	int64_t pid = sys(WASMC_SYS_getpid, 0, 0, 0, 0, 0, 0);
	for (uint32_t i = 0; i < nself; i++) {
		if (self_at[i] >= n)
			die("corrupt wall data", 0, 0, 0, 0);
		filter[self_at[i]] = (filter[self_at[i]] & 0xffffffffull) | (uint64_t)(uint32_t)pid << 32;
	}

	int64_t r = sys(WASMC_SYS_prctl, L_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0);
	if (r < 0)
		die("the second wall: prctl(PR_SET_NO_NEW_PRIVS) (--no-os-sandbox turns the wall off):", 0, 0, 0, r);
	landlock();
	// struct sock_fprog {u16 len; struct sock_filter *filter}: the pointer at offset 8.
	static uint64_t prog[2];
	prog[0] = n;
	prog[1] = wasmc_rt_host(filter);
	r = sys(WASMC_SYS_seccomp, L_SECCOMP_SET_MODE_FILTER, 0, (int64_t)wasmc_rt_host(prog), 0, 0, 0);
	if (r < 0 && r != -L_ENOSYS)
		die("the second wall: seccomp (--no-os-sandbox turns the wall off):", 0, 0, 0, r);
}

// probe_out writes "probe WHAT RESULT\n" to stdout.
static void probe_out(uint64_t what, int64_t result) {
	static char line[64];
	uint32_t n = 0;
	const char *p = "probe ";
	while (*p)
		line[n++] = *p++;
	for (uint32_t i = 0, k = host_strlen(what); i < k && n < 32; i++)
		line[n++] = (char)wasmc_host_load8(what + i);
	line[n++] = ' ';
	uint64_t v = (uint64_t)result;
	if (result < 0) {
		line[n++] = '-';
		v = (uint64_t)-result;
	}
	n += (uint32_t)wasmc_utoa(line + n, v, 10);
	line[n++] = '\n';
	sys(WASMC_SYS_write, 1, (int64_t)wasmc_rt_host(line), n, 0, 0, 0);
}

static int host_eq(uint64_t s, const char *lit) {
	for (;; s++, lit++) {
		uint32_t c = wasmc_host_load8(s);
		if (c != (uint8_t)*lit)
			return 0;
		if (c == 0)
			return 1;
	}
}

#define L_MAP_PRIVATE_ANONYMOUS 0x22
#define L_PROT_EXEC 4

// wasmc_wall_probe is for tests only (driver.Options.WallProbe): it makes the runtime
// itself do, after the wall is up, what the wall forbids, as argv[1] says, and writes
// the result, if the process survives, as one line on stdout: "mmap" maps a page, "exec"
// makes a page of the runtime's memory executable, "open PATH" opens PATH, outside the
// WASI sandbox.
WASMC_EXPORT("wasmc_wall_probe") void wasmc_wall_probe(void) {
	if (argc_ < 2)
		return;
	uint64_t what = wasmc_host_load64(argv_ + 8);
	int64_t r = -L_EINVAL;
	if (host_eq(what, "mmap")) {
		r = sys(WASMC_SYS_mmap, 0, 4096, WASMC_PROT_READ, L_MAP_PRIVATE_ANONYMOUS, -1, 0);
		if (r > 0)
			r = 0;
	} else if (host_eq(what, "exec")) {
		static char page;
		r = sys(WASMC_SYS_mprotect, (int64_t)(wasmc_rt_host(&page) & ~4095ull), 4096,
			WASMC_PROT_READ | WASMC_PROT_WRITE | L_PROT_EXEC, 0, 0, 0);
	} else if (host_eq(what, "open") && argc_ >= 3) {
		r = sys(WASMC_SYS_openat, L_AT_FDCWD, (int64_t)wasmc_host_load64(argv_ + 16), L_O_CLOEXEC, 0, 0, 0);
		if (r >= 0)
			r = 0;
	}
	probe_out(what, r);
}
