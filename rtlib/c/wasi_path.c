// wasi_path.c: path resolution beneath a directory descriptor, and the path_* functions.
//
// Every path is relative to a directory the guest holds, and resolving it must never
// leave that directory: not by `..` above it, not by an absolute path, not through a
// symlink whose target is outside. Where the kernel has openat2 (Linux 5.6), it enforces
// this itself with RESOLVE_BENEATH, and an escape fails with EXDEV, which becomes
// E_ESCAPE. Elsewhere, or with the configuration's walk flag (which tests use to cover
// this path), walk() resolves component by component: each directory is opened with
// O_NOFOLLOW relative to the previous one, each symlink is read and spliced into the
// rest of the path (at most 40, then ELOOP, as Linux), and `..` is taken off the list of
// directories walked so far, never above the root.
//
// Operations that take a directory and a name (mkdirat, unlinkat, renameat2 …) get the
// parent directory resolved this way and the last component, which the kernel then
// looks up in that directory only. A last component of `.` or `..` is folded into the
// parent, so that `a/..` names the directory a/.. itself and never the parent's parent.
#include "wasi.h"

#define WASI(name) WASMC_EXPORT(#name) uint32_t name

extern int use_walk;
uint32_t statx_fd(int32_t host);
uint32_t put_filestat(uint32_t out);
uint32_t times_load(uint64_t atim, uint64_t mtim, uint32_t fst);
extern int64_t utimes_ts[4];

#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_BENEATH 0x08
#define MAX_LINKS 40

static char path_a[PATH_BUF], path_b[PATH_BUF];

// utf8_ok says whether s[0:n] is well-formed UTF-8: Wasmtime takes paths as strings.
static int utf8_ok(const uint8_t *s, uint32_t n) {
	for (uint32_t i = 0; i < n;) {
		uint8_t c = s[i];
		uint32_t k;
		uint32_t min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3, min = 0x10000;
		} else {
			return 0;
		}
		if (n - i <= k)
			return 0;
		uint32_t v = c & (0x3f >> k);
		for (uint32_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			v = v << 6 | (s[i + j] & 0x3f);
		}
		if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

uint32_t path_load(char *buf, uint32_t p, uint32_t len) {
	if (len == 0)
		guest_at(p); // as Wasmtime: even an empty string starts inside memory
	if (len >= PATH_BUF) {
		guest(p, len, 1); // a bad pointer ends the program first, as in Wasmtime
		return E_NAMETOOLONG;
	}
	gread(buf, p, len, 1);
	if (!utf8_ok((const uint8_t *)buf, len))
		return E_ILSEQ;
	for (uint32_t i = 0; i < len; i++)
		if (buf[i] == 0)
			return E_INVAL; // the kernel would stop at it and resolve a different path
	buf[len] = 0;
	return E_SUCCESS;
}

static int64_t close_fd(int64_t fd) { return sys(WASMC_SYS_close, fd, 0, 0, 0, 0, 0); }

#define L_EAGAIN_RETRIES 64

// openat2 opens path beneath dir. The kernel answers EAGAIN when a rename anywhere on
// the system raced with a ".." it resolved and asks the caller to retry; after that
// many tries, -ENOSYS sends this one call to the walk.
static int64_t openat2(int32_t dir, const char *path, uint64_t flags, uint64_t mode) {
	static uint64_t how[3];
	how[0] = flags;
	how[1] = mode;
	how[2] = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	for (int i = 0; i < L_EAGAIN_RETRIES; i++) {
		int64_t r = sys(WASMC_SYS_openat2, dir, (int64_t)wasmc_rt_host(path), (int64_t)wasmc_rt_host(how), 24, 0, 0);
		if (r != -L_EAGAIN)
			return r;
	}
	return -L_EAGAIN;
}

// walk_instead says whether an openat2 result means the walk must do it: the kernel
// lacks openat2 (from now on), or it kept racing (this time).
static int walk_instead(int64_t r) {
	if (r == -L_ENOSYS || r == -L_E2BIG) {
		use_walk = 1;
		return 1;
	}
	return r == -L_EAGAIN;
}

// An at is a resolved parent directory and the last component's name in it.
struct at {
	int64_t fd;   // the directory, a host descriptor
	int owned;    // whether fd must be closed
	char *last;   // the name in it, in a static buffer
};

static void at_done(struct at *a) {
	if (a->owned)
		close_fd(a->fd);
}

static int64_t open_dir_path(int64_t dir, const char *path) {
	return sys(WASMC_SYS_openat, dir, (int64_t)wasmc_rt_host(path),
		   L_O_PATH | o_directory | o_nofollow | L_O_CLOEXEC, 0, 0, 0);
}

// Walk state: the directories walked from the root (names separated by NULs, count deep)
// and the rest of the path still to walk.
static char walked[PATH_BUF];
static uint32_t walked_len, depth;
static char rest[2 * PATH_BUF], link_buf[PATH_BUF], comp[PATH_BUF];
static char last_buf[PATH_BUF];

// reopen opens the directory `walked` names, from root, refusing symlinks on the way.
static int64_t reopen(int64_t root) {
	int64_t fd = open_dir_path(root, ".");
	uint32_t at = 0;
	for (uint32_t i = 0; i < depth && fd >= 0; i++) {
		int64_t next = open_dir_path(fd, walked + at);
		close_fd(fd);
		fd = next;
		at += (uint32_t)strlen(walked + at) + 1;
	}
	return fd;
}

// walk resolves path beneath root into a (parent, last) pair, following symlinks in
// every directory component and, when follow, in the last one too.
static uint32_t walk(int64_t root, const char *path, int follow, struct at *out) {
	uint32_t n = (uint32_t)strlen(path);
	memcpy(rest, path, n + 1);
	walked_len = depth = 0;
	int links = 0;
	int64_t cur = open_dir_path(root, ".");
	if (cur < 0)
		return errno_of(cur);
	for (;;) {
		// Take the next component off the front of rest.
		uint32_t i = 0;
		while (rest[i] == '/')
			i++;
		uint32_t j = i;
		while (rest[j] != 0 && rest[j] != '/')
			j++;
		uint32_t clen = j - i;
		memcpy(comp, rest + i, clen);
		comp[clen] = 0;
		while (rest[j] == '/')
			j++;
		memmove(rest, rest + j, strlen(rest + j) + 1);
		int is_last = rest[0] == 0;
		if (clen == 0 || (clen == 1 && comp[0] == '.')) {
			if (is_last) {
				memcpy(last_buf, ".", 2);
				break;
			}
			continue;
		}
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			if (depth == 0) {
				close_fd(cur);
				return E_ESCAPE;
			}
			depth--;
			walked_len = 0;
			for (uint32_t k = 0; k < depth; k++)
				walked_len += (uint32_t)strlen(walked + walked_len) + 1;
			close_fd(cur);
			cur = reopen(root);
			if (cur < 0)
				return errno_of(cur);
			if (is_last) {
				memcpy(last_buf, ".", 2);
				break;
			}
			continue;
		}
		if (is_last && !follow) {
			memcpy(last_buf, comp, clen + 1);
			break;
		}
		int64_t ln = sys(WASMC_SYS_readlinkat, cur, (int64_t)wasmc_rt_host(comp),
				 (int64_t)wasmc_rt_host(link_buf), sizeof link_buf - 1, 0, 0);
		if (ln >= 0) {
			if (++links > MAX_LINKS) {
				close_fd(cur);
				return E_LOOP;
			}
			if (ln == 0 || link_buf[0] == '/') {
				close_fd(cur);
				return ln == 0 ? E_NOENT : E_ESCAPE;
			}
			uint32_t rn = (uint32_t)strlen(rest);
			if ((uint64_t)ln + 1 + rn + 1 > sizeof rest) {
				close_fd(cur);
				return E_NAMETOOLONG;
			}
			memmove(rest + ln + 1, rest, rn + 1);
			memcpy(rest, link_buf, (uint32_t)ln);
			rest[ln] = rn ? '/' : 0;
			continue;
		}
		if (is_last) {
			memcpy(last_buf, comp, clen + 1);
			break;
		}
		int64_t next = open_dir_path(cur, comp);
		close_fd(cur);
		if (next < 0)
			return errno_of(next);
		cur = next;
		if (walked_len + clen + 1 > sizeof walked) {
			close_fd(cur);
			return E_NAMETOOLONG;
		}
		memcpy(walked + walked_len, comp, clen + 1);
		walked_len += clen + 1;
		depth++;
	}
	out->fd = cur;
	out->owned = 1;
	out->last = last_buf;
	return E_SUCCESS;
}

// slash_dot makes a path that ends in a slash end in "/." instead (path has room for
// PATH_BUF bytes): as in Wasmtime, "d/" names the directory d resolves to, following a
// symlink, and never a symlink d itself, which the kernel would follow out of a
// sandbox when it comes last.
static uint32_t slash_dot(char *path) {
	uint32_t n = (uint32_t)strlen(path);
	if (n == 0 || path[n - 1] != '/')
		return E_SUCCESS;
	if (n + 2 > PATH_BUF)
		return E_NAMETOOLONG;
	path[n] = '.';
	path[n + 1] = 0;
	return E_SUCCESS;
}

// resolve_at resolves path (in runtime memory, NUL-terminated) beneath directory d into
// a parent and a last component. follow applies to the last component, in walk mode;
// with openat2 callers that follow open the whole path instead.
static uint32_t resolve_at(struct wfd *d, char *path, int follow, struct at *out) {
	if (path[0] == 0)
		return E_NOENT;
	if (path[0] == '/')
		return E_ESCAPE;
	uint32_t e = slash_dot(path);
	if (e)
		return e;
	if (use_walk)
		return walk(d->host, path, follow, out);
	uint32_t n = (uint32_t)strlen(path);
	uint32_t end = n;
	while (end > 0 && path[end - 1] == '/')
		end--;
	uint32_t start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	uint32_t clen = end - start;
	int dots = (clen == 1 && path[start] == '.') || (clen == 2 && path[start] == '.' && path[start + 1] == '.');
	out->owned = 0;
	out->fd = d->host;
	if (dots) {
		// The whole path is the directory; its last component is ".".
		memcpy(last_buf, ".", 2);
		out->last = last_buf;
		int64_t fd = openat2(d->host, path, L_O_PATH | o_directory | L_O_CLOEXEC, 0);
		if (walk_instead(fd))
			return walk(d->host, path, follow, out);
		if (fd < 0)
			return fd == -L_EXDEV ? E_ESCAPE : errno_of(fd);
		out->fd = fd;
		out->owned = 1;
		return E_SUCCESS;
	}
	memcpy(last_buf, path + start, n - start + 1); // keeps a trailing slash
	out->last = last_buf;
	if (start == 0)
		return E_SUCCESS;
	char saved = path[start];
	path[start] = 0;
	int64_t fd = openat2(d->host, path, L_O_PATH | o_directory | L_O_CLOEXEC, 0);
	path[start] = saved;
	if (walk_instead(fd))
		return walk(d->host, path, follow, out);
	if (fd < 0)
		return fd == -L_EXDEV ? E_ESCAPE : errno_of(fd);
	out->fd = fd;
	out->owned = 1;
	return E_SUCCESS;
}

// open_beneath opens path beneath d with Linux flags and mode, following a last symlink
// when follow. It returns the host descriptor or a negative WASI errno.
static int64_t open_beneath(struct wfd *d, char *path, int follow, uint64_t flags, uint64_t mode) {
	if (path[0] == 0)
		return -(int64_t)E_NOENT;
	if (path[0] == '/')
		return -(int64_t)E_ESCAPE;
	flags |= L_O_CLOEXEC;
	if (!(flags & L_O_CREAT))
		mode = 0; // openat2 refuses a mode it would not use
	if (!use_walk) {
		int64_t fd = openat2(d->host, path, flags | (follow ? 0 : o_nofollow), mode);
		if (fd >= 0)
			return fd;
		if (!walk_instead(fd))
			return fd == -L_EXDEV ? -(int64_t)E_ESCAPE : -(int64_t)errno_of(fd);
	}
	// As the kernel's own lookup: O_EXCL never follows a last symlink, and a trailing
	// slash always does, and then wants a directory (or, creating, fails).
	if ((flags & (L_O_CREAT | L_O_EXCL)) == (L_O_CREAT | L_O_EXCL))
		follow = 0;
	uint32_t n = (uint32_t)strlen(path);
	int slash = path[n - 1] == '/';
	if (slash)
		follow = 1;
	struct at a;
	uint32_t e = walk(d->host, path, follow, &a);
	if (e)
		return -(int64_t)e;
	uint32_t ln = (uint32_t)strlen(a.last);
	if (slash && ln + 2 <= PATH_BUF)
		a.last[ln] = '/', a.last[ln + 1] = 0;
	// walk has followed every symlink there was to follow.
	int64_t fd = sys(WASMC_SYS_openat, a.fd, (int64_t)wasmc_rt_host(a.last), (int64_t)(flags | o_nofollow), (int64_t)mode, 0, 0);
	at_done(&a);
	return fd >= 0 ? fd : -(int64_t)errno_of(fd);
}

#define OFLAG_CREAT 1
#define OFLAG_DIRECTORY 2
#define OFLAG_EXCL 4
#define OFLAG_TRUNC 8
#define LOOKUP_FOLLOW 1

WASI(path_open)(uint32_t dirfd, uint32_t lookup, uint32_t path, uint32_t path_len, uint32_t oflags,
		uint64_t base, uint64_t inheriting, uint32_t fdflags, uint32_t out) {
	if (lookup & ~(uint32_t)LOOKUP_FOLLOW)
		bad_arg("lookupflags");
	if (oflags & ~15u)
		bad_arg("oflags");
	if ((base | inheriting) & R_UNDEFINED)
		bad_arg("rights");
	if (fdflags & ~31u)
		bad_arg("fdflags");
	// As Wasmtime: the path is read (and must be UTF-8) before the directory is looked
	// at; the kernel's objections come later.
	uint32_t e = path_load(path_a, path, path_len);
	if (e == E_ILSEQ)
		return e;
	FD(d, dirfd);
	if (d->kind == K_FILE)
		return E_NOTDIR;
	if (d->kind != K_DIR)
		return E_BADF;
	if (e)
		return e;
	// As Wasmtime: the synchronous-I/O flags are not supported.
	if (fdflags & (FDF_DSYNC | FDF_RSYNC | FDF_SYNC))
		return E_NOTSUP;
	// The access mode follows the rights asked for: fd_read's and fd_write's. (Go asks
	// for fd_filestat_set_size even when opening read-only.)
	int read = (base & R_FD_READ) != 0;
	int write = (base & R_FD_WRITE) != 0;
	uint64_t flags = write ? (read ? L_O_RDWR : L_O_WRONLY) : 0;
	if (oflags & OFLAG_CREAT)
		flags |= L_O_CREAT;
	if (oflags & OFLAG_DIRECTORY)
		flags |= o_directory;
	if (oflags & OFLAG_EXCL)
		flags |= L_O_EXCL;
	if (oflags & OFLAG_TRUNC)
		flags |= L_O_TRUNC;
	if (fdflags & FDF_APPEND)
		flags |= L_O_APPEND;
	// NONBLOCK is only noted, as in Wasmtime: reading and writing a file always wait.
	flags |= L_O_NOCTTY;
	int follow = (lookup & LOOKUP_FOLLOW) != 0;
	int64_t h = open_beneath(d, path_a, follow, flags, 0666);
	if (h == -(int64_t)E_NOTDIR && !follow && (oflags & OFLAG_DIRECTORY)) {
		// As Wasmtime: a last symlink that may not be followed is ELOOP, also where
		// the kernel, asked for a directory, says ENOTDIR first.
		struct at a;
		if (resolve_at(d, path_a, 0, &a) == 0) {
			int64_t r = sys(WASMC_SYS_statx, a.fd, (int64_t)wasmc_rt_host(a.last), L_AT_SYMLINK_NOFOLLOW, 0x7ff,
					(int64_t)wasmc_rt_host(statx_buf), 0);
			at_done(&a);
			if (r >= 0 && filetype_of(statx_buf[28] | (uint32_t)statx_buf[29] << 8) == FT_SYMLINK)
				return E_LOOP;
		}
	}
	if (h < 0)
		return (uint32_t)-h;
	uint32_t se = statx_fd((int32_t)h);
	if (se) {
		close_fd(h);
		return se;
	}
	uint8_t type = filetype_of(statx_buf[28] | (uint32_t)statx_buf[29] << 8);
	int32_t fd = fd_new((int32_t)h, type == FT_DIR ? K_DIR : K_FILE, type);
	if (fd < 0) {
		close_fd(h);
		return E_MFILE;
	}
	fds[fd].access = type == FT_DIR ? A_READ : (read ? A_READ : 0) | (write ? A_WRITE : 0);
	fds[fd].fdflags = (uint16_t)(fdflags & (FDF_APPEND | FDF_NONBLOCK));
	return put32(out, (uint32_t)fd);
}

// DIR_AT resolves a guest path argument into the struct at a, beneath directory fd.
#define DIR_AT(a, fd, buf, p, n, follow)                                                   \
	DIR_FD(d_##a, fd);                                                                 \
	uint32_t e_##a = path_load(buf, p, n);                                             \
	if (e_##a)                                                                         \
		return e_##a;                                                              \
	struct at a;                                                                       \
	e_##a = resolve_at(d_##a, buf, follow, &a);                                        \
	if (e_##a)                                                                         \
		return e_##a;

static uint32_t done(struct at *a, int64_t r) {
	at_done(a);
	return errno_of(r);
}

// strip_slashes takes trailing slashes off path and says whether there were any. As in
// Wasmtime, mkdir and rename read "d/" as "d", not as "d/.".
static int strip_slashes(char *path) {
	uint32_t n = (uint32_t)strlen(path), m = n;
	while (m > 1 && path[m - 1] == '/')
		m--;
	path[m] = 0;
	return m < n;
}

WASI(path_create_directory)(uint32_t fd, uint32_t path, uint32_t len) {
	DIR_FD(d, fd);
	uint32_t e = path_load(path_a, path, len);
	if (e)
		return e;
	strip_slashes(path_a);
	struct at a;
	e = resolve_at(d, path_a, 0, &a);
	if (e)
		return e;
	return done(&a, sys(WASMC_SYS_mkdirat, a.fd, (int64_t)wasmc_rt_host(a.last), 0777, 0, 0, 0));
}

WASI(path_remove_directory)(uint32_t fd, uint32_t path, uint32_t len) {
	DIR_AT(a, fd, path_a, path, len, 0);
	return done(&a, sys(WASMC_SYS_unlinkat, a.fd, (int64_t)wasmc_rt_host(a.last), L_AT_REMOVEDIR, 0, 0, 0));
}

WASI(path_unlink_file)(uint32_t fd, uint32_t path, uint32_t len) {
	DIR_AT(a, fd, path_a, path, len, 0);
	return done(&a, sys(WASMC_SYS_unlinkat, a.fd, (int64_t)wasmc_rt_host(a.last), 0, 0, 0, 0));
}

// single_name returns the one name path consists of when it has exactly one component
// after dropping empty and "." ones (but a leading "."), as Rust's Path counts them, or 0.
static const char *single_name(char *path) {
	if (path[0] == '.' && (path[1] == '/' || path[1] == 0))
		return 0;
	char *name = 0;
	for (char *p = path; *p;) {
		while (*p == '/')
			p++;
		char *c = p;
		while (*p && *p != '/')
			p++;
		uint32_t n = (uint32_t)(p - c);
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
		if (name != 0 || (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		name = c;
	}
	if (name != 0) {
		char *end = name;
		while (*end && *end != '/')
			end++;
		*end = 0;
	}
	return name;
}

WASI(path_filestat_get)(uint32_t fd, uint32_t lookup, uint32_t path, uint32_t len, uint32_t out) {
	if (lookup & ~(uint32_t)LOOKUP_FOLLOW)
		bad_arg("lookupflags");
	int follow = (lookup & LOOKUP_FOLLOW) != 0;
	DIR_FD(d, fd);
	uint32_t e = path_load(path_a, path, len);
	if (e)
		return e;
	const char *name = follow ? 0 : single_name(path_a);
	int64_t r;
	if (name != 0) {
		// As Wasmtime: a path of one name, however many slashes and dots follow it,
		// names that entry itself, a symlink included.
		r = sys(WASMC_SYS_statx, d->host, (int64_t)wasmc_rt_host(name), L_AT_SYMLINK_NOFOLLOW, 0x7ff,
			(int64_t)wasmc_rt_host(statx_buf), 0);
	} else if (follow && !use_walk) {
		int64_t h = open_beneath(d, path_a, 1, L_O_PATH, 0);
		if (h < 0)
			return (uint32_t)-h;
		e = statx_fd((int32_t)h);
		close_fd(h);
		return e ? e : put_filestat(out);
	} else {
		struct at a;
		e = resolve_at(d, path_a, follow, &a);
		if (e)
			return e;
		r = sys(WASMC_SYS_statx, a.fd, (int64_t)wasmc_rt_host(a.last), L_AT_SYMLINK_NOFOLLOW, 0x7ff,
			(int64_t)wasmc_rt_host(statx_buf), 0);
		at_done(&a);
	}
	return r < 0 ? errno_of(r) : put_filestat(out);
}

WASI(path_filestat_set_times)(uint32_t fd, uint32_t lookup, uint32_t path, uint32_t len,
			      uint64_t atim, uint64_t mtim, uint32_t fst) {
	if (lookup & ~(uint32_t)LOOKUP_FOLLOW)
		bad_arg("lookupflags");
	uint32_t e = times_load(atim, mtim, fst);
	if (e)
		return e;
	int follow = (lookup & LOOKUP_FOLLOW) != 0;
	if (follow && !use_walk) {
		DIR_FD(d, fd);
		e = path_load(path_a, path, len);
		if (e)
			return e;
		int64_t h = open_beneath(d, path_a, 1, L_O_PATH, 0);
		if (h < 0)
			return (uint32_t)-h;
		int64_t r = sys(WASMC_SYS_utimensat, h, (int64_t)wasmc_rt_host(""), (int64_t)wasmc_rt_host(utimes_ts), L_AT_EMPTY_PATH, 0, 0);
		close_fd(h);
		return errno_of(r);
	}
	DIR_AT(a, fd, path_a, path, len, follow);
	return done(&a, sys(WASMC_SYS_utimensat, a.fd, (int64_t)wasmc_rt_host(a.last), (int64_t)wasmc_rt_host(utimes_ts), L_AT_SYMLINK_NOFOLLOW, 0, 0));
}

WASI(path_readlink)(uint32_t fd, uint32_t path, uint32_t len, uint32_t buf, uint32_t buf_len, uint32_t used) {
	DIR_AT(a, fd, path_a, path, len, 0);
	int64_t r = sys(WASMC_SYS_readlinkat, a.fd, (int64_t)wasmc_rt_host(a.last), (int64_t)wasmc_rt_host(path_b), PATH_BUF, 0, 0);
	at_done(&a);
	if (r < 0)
		return errno_of(r);
	// As Wasmtime: an absolute target could only lead out of the sandbox.
	if (r > 0 && path_b[0] == '/')
		return E_ESCAPE;
	uint32_t n = (uint32_t)r < buf_len ? (uint32_t)r : buf_len;
	gwrite(buf, path_b, n, 1);
	return put32(used, n);
}

// load2 loads two paths, as Wasmtime reads two strings: both must be inside memory and
// UTF-8 before anything else is looked at.
static uint32_t load2(char *b1, uint32_t p1, uint32_t n1, char *b2, uint32_t p2, uint32_t n2) {
	uint32_t e1 = path_load(b1, p1, n1);
	if (e1 == E_ILSEQ)
		return e1;
	uint32_t e2 = path_load(b2, p2, n2);
	if (e2 == E_ILSEQ)
		return e2;
	return e1 ? e1 : e2;
}

WASI(path_symlink)(uint32_t old_path, uint32_t old_len, uint32_t fd, uint32_t new_path, uint32_t new_len) {
	DIR_FD(d, fd);
	uint32_t e = load2(path_b, old_path, old_len, path_a, new_path, new_len);
	if (e)
		return e;
	// As Wasmtime: a symlink to an absolute path could never be followed, so it is not
	// made. (Go's tests take this refusal to mean "no symlinks here".)
	if (path_b[0] == '/')
		return E_ESCAPE;
	struct at a;
	e = resolve_at(d, path_a, 0, &a);
	if (e)
		return e;
	return done(&a, sys(WASMC_SYS_symlinkat, (int64_t)wasmc_rt_host(path_b), a.fd, (int64_t)wasmc_rt_host(a.last), 0, 0, 0));
}

// Two paths at once: the second resolution's last component needs a buffer of its own.
static char last2[PATH_BUF];

WASI(path_link)(uint32_t old_fd, uint32_t old_flags, uint32_t old_path, uint32_t old_len,
		uint32_t new_fd, uint32_t new_path, uint32_t new_len) {
	if (old_flags & ~(uint32_t)LOOKUP_FOLLOW)
		bad_arg("lookupflags");
	DIR_FD(od, old_fd);
	DIR_FD(nd, new_fd);
	uint32_t e = load2(path_a, old_path, old_len, path_b, new_path, new_len);
	if (e)
		return e;
	// As Wasmtime: a hard link to a symlink's target is not supported.
	if (old_flags & LOOKUP_FOLLOW)
		return E_INVAL;
	struct at o, n;
	e = resolve_at(od, path_a, 0, &o);
	if (e)
		return e;
	memcpy(last2, o.last, strlen(o.last) + 1);
	o.last = last2;
	e = resolve_at(nd, path_b, 0, &n);
	if (e) {
		at_done(&o);
		return e;
	}
	int64_t r = sys(WASMC_SYS_linkat, o.fd, (int64_t)wasmc_rt_host(o.last), n.fd, (int64_t)wasmc_rt_host(n.last), 0, 0);
	at_done(&n);
	return done(&o, r);
}

WASI(path_rename)(uint32_t old_fd, uint32_t old_path, uint32_t old_len, uint32_t new_fd,
		  uint32_t new_path, uint32_t new_len) {
	DIR_FD(od, old_fd);
	DIR_FD(nd, new_fd);
	uint32_t e = load2(path_a, old_path, old_len, path_b, new_path, new_len);
	if (e)
		return e;
	// As Wasmtime: trailing slashes come off both paths, and go back on the old last
	// name, so that the kernel refuses "file/".
	int old_slash = strip_slashes(path_a);
	strip_slashes(path_b);
	struct at o;
	e = resolve_at(od, path_a, 0, &o);
	if (e)
		return e;
	uint32_t on = (uint32_t)strlen(o.last);
	if (on + 2 > sizeof last2) {
		at_done(&o);
		return E_NAMETOOLONG;
	}
	memcpy(last2, o.last, on + 1);
	if (old_slash && !(on == 1 && last2[0] == '.'))
		last2[on] = '/', last2[on + 1] = 0;
	o.last = last2;
	struct at n;
	e = resolve_at(nd, path_b, 0, &n);
	if (e) {
		at_done(&o);
		return e;
	}
	int64_t r = sys(WASMC_SYS_renameat2, o.fd, (int64_t)wasmc_rt_host(o.last), n.fd, (int64_t)wasmc_rt_host(n.last), 0, 0);
	at_done(&n);
	return done(&o, r);
}
