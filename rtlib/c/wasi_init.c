// wasi_init.c: what a WASI program is given before it starts. wasmc_wasi_init reads the
// configuration `wasmc build` baked into the executable, or the one `wasmc run` hands a
// cached executable on a descriptor (rtlib.Config in Go, whose encoding is documented
// there), and sets up the descriptor table: 0 to 2 are the
// process's stdin, stdout and stderr; then each --tcplisten socket, bound and listening;
// then each --dir directory, opened now, so that a missing one fails at start-up. It
// also builds the environment: the host's if inherited, then each --env, which replaces
// an inherited variable of the same name (--env K alone takes the host's K).
#include "wasi.h"

uint32_t o_directory, o_nofollow;
int use_walk; // resolve paths component by component instead of with openat2

// The environment: each variable is a host address and a length (without its NUL).
#define MAX_ENV 8192
uint64_t env_addr[MAX_ENV];
uint32_t env_len[MAX_ENV];
uint32_t env_count;

// The configuration is read in place, in host memory, through a cursor.
static uint64_t cfg, cfg_end;

static uint32_t cfg_u32(void) {
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		if (cfg >= cfg_end)
			die("corrupt configuration", 0, 0, 0, 0);
		v |= wasmc_host_load8(cfg++) << (8 * i);
	}
	return v;
}

// cfg_str returns the host address of the next string and its length in *n.
static uint64_t cfg_str(uint32_t *n) {
	*n = cfg_u32();
	uint64_t s = cfg;
	if (*n > cfg_end - cfg)
		die("corrupt configuration", 0, 0, 0, 0);
	cfg += *n;
	return s;
}

// cstr copies host string s of n bytes into runtime memory with a NUL.
static char cbuf[PATH_BUF];
static const char *cstr(uint64_t s, uint32_t n) {
	if (n >= sizeof cbuf)
		n = sizeof cbuf - 1;
	for (uint32_t i = 0; i < n; i++)
		cbuf[i] = (char)wasmc_host_load8(s + i);
	cbuf[n] = 0;
	return cbuf;
}

uint32_t host_strlen(uint64_t s) {
	uint32_t n = 0;
	while (n < (1u << 24) && wasmc_host_load8(s + n) != 0)
		n++;
	return n;
}

// key_len is the length of a variable's name: the bytes before its first '='.
static uint32_t key_len(uint64_t s, uint32_t n) {
	for (uint32_t i = 0; i < n; i++)
		if (wasmc_host_load8(s + i) == '=')
			return i;
	return n;
}

static int same_key(uint64_t a, uint32_t an, uint64_t b, uint32_t bn) {
	uint32_t ka = key_len(a, an), kb = key_len(b, bn);
	if (ka != kb)
		return 0;
	for (uint32_t i = 0; i < ka; i++)
		if (wasmc_host_load8(a + i) != wasmc_host_load8(b + i))
			return 0;
	return 1;
}

static void env_add(uint64_t s, uint32_t n) {
	uint32_t j = 0;
	for (uint32_t i = 0; i < env_count; i++) {
		if (same_key(env_addr[i], env_len[i], s, n))
			continue;
		env_addr[j] = env_addr[i];
		env_len[j] = env_len[i];
		j++;
	}
	env_count = j;
	if (env_count == MAX_ENV)
		die("too many environment variables", 0, 0, 0, 0);
	env_addr[env_count] = s;
	env_len[env_count] = n;
	env_count++;
}

// host_env returns the host address of the host process's variable named by the n bytes
// at key ("K=V"), or 0 if it has none.
static uint64_t host_env(uint64_t key, uint32_t n) {
	if (argc_ == 0)
		return 0;
	for (uint64_t envp = argv_ + 8 * (argc_ + 1), s; (s = wasmc_host_load64(envp)) != 0; envp += 8)
		if (same_key(s, host_strlen(s), key, n) && key_len(s, host_strlen(s)) < host_strlen(s))
			return s;
	return 0;
}

#define L_F_GETFD 1
#define L_TCGETS 0x5401

// stdio makes host descriptor fd the guest's stream of the same number, as Wasmtime
// sees it: a character device on a terminal, of unknown type otherwise. A closed one
// stays closed: the guest sees EBADF, as it would natively.
static void stdio(int32_t fd) {
	static uint8_t termios[64];
	int64_t r = sys(WASMC_SYS_fcntl, fd, L_F_GETFD, 0, 0, 0, 0);
	if (r < 0)
		return;
#ifdef WASMC_DARWIN
	(void)termios;
	static uint8_t dtermios[72]; // struct termios, 72 bytes on darwin
	int tty = sys(WASMC_SYS_ioctl, fd, D_TIOCGETA, (int64_t)wasmc_rt_host(dtermios), 0, 0, 0) >= 0;
#else
	int tty = sys(WASMC_SYS_ioctl, fd, L_TCGETS, (int64_t)wasmc_rt_host(termios), 0, 0, 0) >= 0;
#endif
	fds[fd].host = fd;
	fds[fd].kind = fd == 0 ? K_STDIN : K_STDOUT;
	fds[fd].type = tty ? FT_CHAR : FT_UNKNOWN;
}

void tcp_listen(uint64_t addr, uint32_t n); // wasi_sock.c

#define L_SEEK_END 2
#define L_MAP_PRIVATE 2

// map_config makes the configuration the one in file descriptor fd, for an executable
// that `wasmc run` keeps in its cache: it is built without capabilities, which each run
// hands it in a file on fd (rtlib.Config), so that changing them never recompiles. Only
// such an executable reads fd; one from `wasmc build` has its configuration baked in
// and never looks, so nothing in a user's environment can change what it may reach.
static void map_config(int32_t fd) {
	int64_t size = sys(WASMC_SYS_lseek, fd, 0, L_SEEK_END, 0, 0, 0);
	if (size == -9) // EBADF
		die("this executable is from wasmc run's cache and takes its capabilities from wasmc run: "
		    "use wasmc run, or wasmc build for an executable of its own",
		    0, 0, 0, 0);
	if (size < 0)
		die("reading the capabilities wasmc run passes:", 0, 0, 0, size);
	int64_t at = sys(WASMC_SYS_mmap, 0, size, WASMC_PROT_READ, L_MAP_PRIVATE, fd, 0);
	if (at < 0 && at > -4096)
		die("reading the capabilities wasmc run passes:", 0, 0, 0, at);
	sys(WASMC_SYS_close, fd, 0, 0, 0, 0, 0);
	cfg = (uint64_t)at;
	cfg_end = cfg + (uint64_t)size;
}

#define FLAG_INHERIT_ENV 1
#define FLAG_WALK 2

WASMC_EXPORT("wasmc_wasi_init") void wasmc_wasi_init(void) {
	for (int i = 0; i < MAX_FDS; i++)
		fds[i].host = -1;
	for (int32_t fd = 0; fd < 3; fd++)
		stdio(fd);
	// Writing to a closed pipe or socket gives EPIPE rather than killing the process,
	// as under Wasmtime: SIGPIPE is ignored. {handler SIG_IGN, flags, restorer, mask}.
#ifdef WASMC_DARWIN
	// Darwin's struct sigaction: {handler, mask u32, flags i32}.
	static uint64_t ign[2] = {1, 0};
	wasmc_syscall(WASMC_SYS_sigaction, 13, (int64_t)wasmc_rt_host(ign), 0, 0, 0, 0);
#else
	static uint64_t ign[4] = {1, 0, 0, 0};
	wasmc_syscall(WASMC_SYS_rt_sigaction, 13, (int64_t)wasmc_rt_host(ign), 0, 8, 0, 0);
#endif

	uint64_t desc = wasmc_config();
	if (desc == 0)
		return;
	cfg = wasmc_host_load64(desc + WASMC_SEG_BASE);
	cfg_end = cfg + wasmc_host_load64(desc + WASMC_SEG_LENGTH);
	uint32_t magic = cfg_u32();
	if (magic == 0x52464357) { // "WCFR": an executable of wasmc run's cache
		map_config((int32_t)cfg_u32());
		magic = cfg_u32();
	}
	if (magic != 0x31464357) // "WCF1"
		die("corrupt configuration", 0, 0, 0, 0);
	o_directory = cfg_u32();
	o_nofollow = cfg_u32();
	uint32_t flags = cfg_u32();
	use_walk = (flags & FLAG_WALK) != 0;

	uint32_t n = cfg_u32();
	for (uint32_t i = 0; i < n; i++) {
		uint32_t len;
		uint64_t s = cfg_str(&len);
		tcp_listen(s, len);
	}
	n = cfg_u32();
	for (uint32_t i = 0; i < n; i++) {
		uint32_t hn, gn;
		uint64_t host = cfg_str(&hn);
		uint64_t guest = cfg_str(&gn);
		int64_t h = sys(WASMC_SYS_openat, L_AT_FDCWD, (int64_t)wasmc_rt_host(cstr(host, hn)),
				o_directory | L_O_CLOEXEC, 0, 0, 0);
		if (h < 0)
			die("--dir", 0, host, hn, h);
		int32_t fd = fd_new((int32_t)h, K_DIR, FT_DIR);
		if (fd < 0)
			die("too many preopened directories", 0, 0, 0, 0);
		fds[fd].preopen = 1;
		fds[fd].name = guest;
		fds[fd].name_len = gn;
	}
	if (flags & FLAG_INHERIT_ENV) {
		uint64_t envp = argv_ + 8 * (argc_ + 1);
		for (uint64_t s; argc_ != 0 && (s = wasmc_host_load64(envp)) != 0; envp += 8)
			env_add(s, host_strlen(s));
	}
	n = cfg_u32();
	for (uint32_t i = 0; i < n; i++) {
		uint32_t len;
		uint64_t s = cfg_str(&len);
		if (key_len(s, len) < len)
			env_add(s, len);
		else if ((s = host_env(s, len)) != 0) // K alone: the host's K, if it has one
			env_add(s, host_strlen(s));
	}
}
