// wasi/c/main.c: calls every function of wasi_snapshot_preview1 directly
// (see wasiraw.h) and prints one line per check, with raw WASI errno numbers,
// so that a runtime's behaviour can be compared with Wasmtime's exactly.
// Runs against the fixture of ../fixture.txt (sandbox/ preopened as /sandbox).
// Exits through proc_exit(3).
//
// Nothing printed depends on the machine, the time or the temp directory:
// timestamps, inode numbers, random bytes and fd numbers other than the
// well-known ones are only compared, never printed.
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasiraw.h"
#include "probe.h"

// res prints "LABEL: ok" or "LABEL: errno N (NAME)" and returns e.
static int res(const char *label, int e) {
	if (e == 0)
		say("%s: ok", label);
	else
		say("%s: errno %d (%s)", label, e, ename(e));
	return e;
}

static void yesno(const char *label, int b) { say("%s: %s", label, b ? "true" : "false"); }

// ------------------------------------------------------------ raw helpers --

#define R(x) ((uint64_t)__WASI_RIGHTS_##x)
// rights asked for when opening
static const uint64_t RIGHTS_RO = R(FD_READ) | R(FD_SEEK) | R(FD_TELL) | R(FD_FILESTAT_GET) |
                                  R(FD_ADVISE) | R(FD_FDSTAT_SET_FLAGS) | R(FD_SYNC) |
                                  R(FD_DATASYNC) | R(POLL_FD_READWRITE);
static const uint64_t RIGHTS_RW = RIGHTS_RO | R(FD_WRITE) | R(FD_ALLOCATE) |
                                  R(FD_FILESTAT_SET_SIZE) | R(FD_FILESTAT_SET_TIMES);
static const uint64_t RIGHTS_WO = R(FD_WRITE) | R(FD_SEEK) | R(FD_TELL) | R(FD_FILESTAT_GET);
static const uint64_t RIGHTS_DIR =
    R(FD_READDIR) | R(FD_FILESTAT_GET) | R(FD_FDSTAT_SET_FLAGS) | R(FD_SYNC) | R(FD_DATASYNC) |
    R(PATH_CREATE_DIRECTORY) | R(PATH_CREATE_FILE) | R(PATH_LINK_SOURCE) | R(PATH_LINK_TARGET) |
    R(PATH_OPEN) | R(PATH_READLINK) | R(PATH_RENAME_SOURCE) | R(PATH_RENAME_TARGET) |
    R(PATH_FILESTAT_GET) | R(PATH_FILESTAT_SET_SIZE) | R(PATH_FILESTAT_SET_TIMES) |
    R(PATH_SYMLINK) | R(PATH_REMOVE_DIRECTORY) | R(PATH_UNLINK_FILE);
static const uint64_t RIGHTS_ALL = ~(uint64_t)0 >> 34; // bits 0..29

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static uint32_t root = 3; // the /sandbox preopen, found at startup

static int p_open(uint32_t dir, uint32_t lookup, const char *path, uint32_t oflags,
                  uint64_t rights, uint32_t fdflags, uint32_t *fd) {
	uint32_t tmp = 0xFFFFFFFF;
	int e = r_path_open(dir, lookup, P(path), strlen(path), oflags, rights, rights, fdflags, P(&tmp));
	if (fd) *fd = tmp;
	return e;
}

// open and close again; returns the errno of the open
static int try_open(uint32_t lookup, const char *path, uint32_t oflags, uint64_t rights, uint32_t fdflags) {
	uint32_t fd;
	int e = p_open(root, lookup, path, oflags, rights, fdflags, &fd);
	if (e == 0) r_fd_close(fd);
	return e;
}

static int p_stat(uint32_t dir, uint32_t lookup, const char *path, __wasi_filestat_t *st) {
	return r_path_filestat_get(dir, lookup, P(path), strlen(path), P(st));
}

static int p_mkdir(uint32_t dir, const char *path) {
	return r_path_create_directory(dir, P(path), strlen(path));
}
static int p_rmdir(uint32_t dir, const char *path) {
	return r_path_remove_directory(dir, P(path), strlen(path));
}
static int p_unlink(uint32_t dir, const char *path) {
	return r_path_unlink_file(dir, P(path), strlen(path));
}
static int p_rename(uint32_t d1, const char *a, uint32_t d2, const char *b) {
	return r_path_rename(d1, P(a), strlen(a), d2, P(b), strlen(b));
}
static int p_link(uint32_t d1, uint32_t lookup, const char *a, uint32_t d2, const char *b) {
	return r_path_link(d1, lookup, P(a), strlen(a), d2, P(b), strlen(b));
}
static int p_symlink(const char *target, uint32_t dir, const char *path) {
	return r_path_symlink(P(target), strlen(target), dir, P(path), strlen(path));
}
static int p_readlink(uint32_t dir, const char *path, char *buf, uint32_t len, uint32_t *used) {
	return r_path_readlink(dir, P(path), strlen(path), P(buf), len, P(used));
}

static int fd_write_str(uint32_t fd, const char *s, uint32_t *nw) {
	__wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
	return r_fd_write(fd, P(&iov), 1, P(nw));
}

static int fd_read_buf(uint32_t fd, char *buf, uint32_t len, uint32_t *nr) {
	__wasi_iovec_t iov = {(uint8_t *)buf, len};
	return r_fd_read(fd, P(&iov), 1, P(nr));
}

// reads a whole sandbox file (following symlinks); "" with errno on failure
static int slurp(const char *path, char *buf, uint32_t cap) {
	uint32_t fd, n = 0, got = 0;
	buf[0] = 0;
	int e = p_open(root, FOLLOW, path, 0, RIGHTS_RO, 0, &fd);
	if (e) return e;
	while (got + 1 < cap && (e = fd_read_buf(fd, buf + got, cap - 1 - got, &n)) == 0 && n > 0) got += n;
	buf[got] = 0;
	r_fd_close(fd);
	return e;
}

static void show_file(const char *label, const char *path) {
	char buf[256];
	int e = slurp(path, buf, sizeof buf);
	if (e)
		say("%s: errno %d (%s)", label, e, ename(e));
	else {
		// print with \n escaped
		char esc[512];
		size_t j = 0;
		for (size_t i = 0; buf[i] && j < sizeof esc - 3; i++) {
			if (buf[i] == '\n') {
				esc[j++] = '\\';
				esc[j++] = 'n';
			} else
				esc[j++] = buf[i];
		}
		esc[j] = 0;
		say("%s: \"%s\"", label, esc);
	}
}

// --------------------------------------------------------------- escapes --
// Every attempt to reach outside /sandbox. Each prints the errno Wasmtime
// gives; the harness additionally checks that nothing outside sandbox/ changed.

static void esc_open(const char *label, uint32_t lookup, const char *path, uint32_t oflags, uint64_t rights) {
	char l[200];
	snprintf(l, sizeof l, "escape path_open %s", label);
	res(l, try_open(lookup, path, oflags, rights, 0));
}

static void esc_stat(const char *label, uint32_t lookup, const char *path) {
	__wasi_filestat_t st;
	char l[200];
	int e = p_stat(root, lookup, path, &st);
	snprintf(l, sizeof l, "escape path_filestat_get %s", label);
	if (e == 0)
		say("%s: ok filetype %d", l, st.filetype);
	else
		res(l, e);
}

static void escapes(void) {
	const uint32_t C = __WASI_OFLAGS_CREAT, D = __WASI_OFLAGS_DIRECTORY, X = __WASI_OFLAGS_EXCL,
	               T = __WASI_OFLAGS_TRUNC;
	say("== escapes");
	esc_open("../outside.txt read", FOLLOW, "../outside.txt", 0, RIGHTS_RO);
	esc_open("../outside.txt write", FOLLOW, "../outside.txt", 0, RIGHTS_RW);
	esc_open("../outside.txt creat|trunc", FOLLOW, "../outside.txt", C | T, RIGHTS_RW);
	esc_open("../created.txt creat", FOLLOW, "../created.txt", C, RIGHTS_RW);
	esc_open("../created.txt creat|excl", FOLLOW, "../created.txt", C | X, RIGHTS_RW);
	esc_open("../outside.txt nofollow", 0, "../outside.txt", 0, RIGHTS_RO);
	esc_open("/etc/passwd", FOLLOW, "/etc/passwd", 0, RIGHTS_RO);
	esc_open("/sandbox/hello.txt", FOLLOW, "/sandbox/hello.txt", 0, RIGHTS_RO);
	esc_open("/ directory", FOLLOW, "/", D, RIGHTS_DIR);
	esc_open("sub/../../outside.txt", FOLLOW, "sub/../../outside.txt", 0, RIGHTS_RO);
	esc_open("sub/../hello.txt (inside)", FOLLOW, "sub/../hello.txt", 0, RIGHTS_RO);
	esc_open("sub/deeper/../../hello.txt (inside)", FOLLOW, "sub/deeper/../../hello.txt", 0, RIGHTS_RO);
	esc_open(".. directory", FOLLOW, "..", D, RIGHTS_DIR);
	esc_open("../sandbox/hello.txt", FOLLOW, "../sandbox/hello.txt", 0, RIGHTS_RO);
	esc_open(". directory (inside)", FOLLOW, ".", D, RIGHTS_DIR);
	esc_open("passwd -> /etc/passwd follow", FOLLOW, "passwd", 0, RIGHTS_RO);
	esc_open("passwd -> /etc/passwd nofollow", 0, "passwd", 0, RIGHTS_RO);
	esc_open("outlink -> ../outside.txt follow", FOLLOW, "outlink", 0, RIGHTS_RO);
	esc_open("outlink -> ../outside.txt nofollow", 0, "outlink", 0, RIGHTS_RO);
	esc_open("outlink -> ../outside.txt follow write", FOLLOW, "outlink", 0, RIGHTS_RW);
	esc_open("outlink -> ../outside.txt follow creat|trunc", FOLLOW, "outlink", C | T, RIGHTS_RW);
	esc_open("outdir/inner.txt (outdir -> ../outside)", FOLLOW, "outdir/inner.txt", 0, RIGHTS_RO);
	esc_open("outdir/inner.txt nofollow", 0, "outdir/inner.txt", 0, RIGHTS_RO);
	esc_open("outdir/../hello.txt", FOLLOW, "outdir/../hello.txt", 0, RIGHTS_RO);
	esc_open("outdir/new.txt creat", FOLLOW, "outdir/new.txt", C, RIGHTS_RW);
	esc_open("outdir directory follow", FOLLOW, "outdir", D, RIGHTS_DIR);
	esc_open("sub/up2 -> ../../outside.txt follow", FOLLOW, "sub/up2", 0, RIGHTS_RO);
	esc_open("loop1 follow", FOLLOW, "loop1", 0, RIGHTS_RO);
	esc_open("loop1 nofollow", 0, "loop1", 0, RIGHTS_RO);
	esc_open("loop1/x follow", FOLLOW, "loop1/x", 0, RIGHTS_RO);
	esc_open("loop1 creat follow", FOLLOW, "loop1", C, RIGHTS_RW);
	esc_open("hello.link follow (inside)", FOLLOW, "hello.link", 0, RIGHTS_RO);
	esc_open("hello.link nofollow (inside)", 0, "hello.link", 0, RIGHTS_RO);
	esc_open("sub/up.link follow (inside)", FOLLOW, "sub/up.link", 0, RIGHTS_RO);
	esc_open("subdir.link/b.txt (inside)", FOLLOW, "subdir.link/b.txt", 0, RIGHTS_RO);
	esc_open("subdir.link/b.txt nofollow (inside)", 0, "subdir.link/b.txt", 0, RIGHTS_RO);
	esc_open("dangling follow", FOLLOW, "dangling", 0, RIGHTS_RO);
	esc_stat("dangling follow (before creat)", FOLLOW, "dangling");
	esc_open("dangling creat follow", FOLLOW, "dangling", C, RIGHTS_RW);
	esc_open("dangling creat nofollow", 0, "dangling", C, RIGHTS_RW);
	esc_open("dangling creat|excl follow", FOLLOW, "dangling", C | X, RIGHTS_RW);
	esc_open("empty path", FOLLOW, "", 0, RIGHTS_RO);
	esc_open("hello.txt/ (trailing slash on a file)", FOLLOW, "hello.txt/", 0, RIGHTS_RO);
	esc_open("sub/ directory (trailing slash)", FOLLOW, "sub/", D, RIGHTS_DIR);
	esc_open("sub//a.txt (double slash)", FOLLOW, "sub//a.txt", 0, RIGHTS_RO);
	esc_open("./hello.txt", FOLLOW, "./hello.txt", 0, RIGHTS_RO);
	{
		static const char nul[] = "hello.txt\0junk";
		uint32_t fd;
		int e = r_path_open(root, FOLLOW, P(nul), sizeof nul - 1, 0, RIGHTS_RO, RIGHTS_RO, 0, P(&fd));
		if (e == 0) r_fd_close(fd);
		res("escape path_open \"hello.txt\\0junk\" (embedded NUL)", e);
		static const char bad[] = "bad\xff\xfe.txt";
		e = r_path_open(root, FOLLOW, P(bad), sizeof bad - 1, C, RIGHTS_RW, RIGHTS_RW, 0, P(&fd));
		if (e == 0) r_fd_close(fd);
		res("escape path_open invalid UTF-8 creat", e);
	}
	{
		uint32_t fd;
		int e = p_open(1, FOLLOW, "hello.txt", 0, RIGHTS_RO, 0, &fd);
		res("escape path_open dirfd=stdout", e);
		e = p_open(99, FOLLOW, "hello.txt", 0, RIGHTS_RO, 0, &fd);
		res("escape path_open dirfd=99 (not open)", e);
		uint32_t f;
		if (p_open(root, FOLLOW, "hello.txt", 0, RIGHTS_RO, 0, &f) == 0) {
			e = p_open(f, FOLLOW, "x", 0, RIGHTS_RO, 0, &fd);
			res("escape path_open dirfd=regular file", e);
			e = p_open(f, FOLLOW, "../outside.txt", 0, RIGHTS_RO, 0, &fd);
			res("escape path_open dirfd=regular file, ../outside.txt", e);
			r_fd_close(f);
		}
	}

	// symlinks created by the guest
	res("escape path_symlink ../outside.txt -> evil1", p_symlink("../outside.txt", root, "evil1"));
	esc_open("evil1 follow", FOLLOW, "evil1", 0, RIGHTS_RO);
	esc_open("evil1 follow creat|trunc write", FOLLOW, "evil1", C | T, RIGHTS_RW);
	res("escape path_symlink /etc/passwd -> evil2", p_symlink("/etc/passwd", root, "evil2"));
	esc_open("evil2 follow", FOLLOW, "evil2", 0, RIGHTS_RO);
	res("escape path_symlink /sandbox/hello.txt -> evil3", p_symlink("/sandbox/hello.txt", root, "evil3"));
	esc_open("evil3 follow", FOLLOW, "evil3", 0, RIGHTS_RO);
	res("escape path_symlink ../newdir/x -> evil4 (dangling outside)", p_symlink("../newdir/x", root, "evil4"));
	esc_open("evil4 creat follow", FOLLOW, "evil4", C, RIGHTS_RW);
	res("escape path_symlink hello.txt -> ../evil5 (link placed outside)", p_symlink("hello.txt", root, "../evil5"));
	res("escape path_symlink ../outside -> evildir", p_symlink("../outside", root, "evildir"));
	esc_open("evildir/inner.txt", FOLLOW, "evildir/inner.txt", 0, RIGHTS_RO);
	{
		char buf[64];
		uint32_t used = 0;
		int e = p_readlink(root, "evil1", buf, sizeof buf, &used);
		if (e == 0)
			say("escape path_readlink evil1: ok \"%.*s\"", (int)used, buf);
		else
			res("escape path_readlink evil1", e);
		e = p_readlink(root, "outlink", buf, sizeof buf, &used);
		if (e == 0)
			say("escape path_readlink outlink: ok \"%.*s\"", (int)used, buf);
		else
			res("escape path_readlink outlink", e);
		e = p_readlink(root, "passwd", buf, sizeof buf, &used);
		if (e == 0)
			say("escape path_readlink passwd: ok \"%.*s\"", (int)used, buf);
		else
			res("escape path_readlink passwd", e);
		e = p_readlink(root, "../outside.txt", buf, sizeof buf, &used);
		res("escape path_readlink ../outside.txt", e);
	}

	// stat / set_times
	esc_stat("../outside.txt", FOLLOW, "../outside.txt");
	esc_stat("../outside.txt nofollow", 0, "../outside.txt");
	esc_stat("/etc/passwd", FOLLOW, "/etc/passwd");
	esc_stat("..", FOLLOW, "..");
	esc_stat("outlink follow", FOLLOW, "outlink");
	esc_stat("outlink nofollow", 0, "outlink");
	esc_stat("passwd follow", FOLLOW, "passwd");
	esc_stat("passwd nofollow", 0, "passwd");
	esc_stat("outdir/inner.txt", FOLLOW, "outdir/inner.txt");
	esc_stat("loop1 follow", FOLLOW, "loop1");
	esc_stat("loop1 nofollow", 0, "loop1");
	esc_stat("dangling follow", FOLLOW, "dangling");
	esc_stat("dangling nofollow", 0, "dangling");
	{
		const uint32_t fl = __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM;
		const uint64_t t = 1000000000ull * 86400;
		res("escape path_filestat_set_times ../outside.txt",
		    r_path_filestat_set_times(root, FOLLOW, P("../outside.txt"), 14, t, t, fl));
		res("escape path_filestat_set_times outlink follow",
		    r_path_filestat_set_times(root, FOLLOW, P("outlink"), 7, t, t, fl));
		res("escape path_filestat_set_times passwd follow",
		    r_path_filestat_set_times(root, FOLLOW, P("passwd"), 6, t, t, fl));
		res("escape path_filestat_set_times outdir/inner.txt",
		    r_path_filestat_set_times(root, FOLLOW, P("outdir/inner.txt"), 16, t, t, fl));
	}

	// A trailing slash makes the kernel follow a last symlink even where the call says
	// not to: these name the directories outdir and outlink lead to, outside.
	esc_stat("outdir/ nofollow", 0, "outdir/");
	esc_stat("outdir/. nofollow", 0, "outdir/.");
	esc_stat("outlink/ nofollow", 0, "outlink/");
	esc_open("outdir/ nofollow directory", 0, "outdir/", D, RIGHTS_DIR);
	{
		const uint32_t fl = __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM;
		const uint64_t t = 1000000000ull * 86400;
		res("escape path_filestat_set_times outdir/ nofollow",
		    r_path_filestat_set_times(root, 0, P("outdir/"), 7, t, t, fl));
		res("escape path_filestat_set_times outdir/. nofollow",
		    r_path_filestat_set_times(root, 0, P("outdir/."), 8, t, t, fl));
		char buf[64];
		uint32_t used = 0;
		res("escape path_readlink outdir/", p_readlink(root, "outdir/", buf, sizeof buf, &used));
	}
	res("escape path_create_directory outdir/", p_mkdir(root, "outdir/"));
	res("escape path_remove_directory outdir/", p_rmdir(root, "outdir/"));
	res("escape path_unlink_file outlink/", p_unlink(root, "outlink/"));
	res("escape path_unlink_file outdir/", p_unlink(root, "outdir/"));
	res("escape path_rename outdir/ -> moved", p_rename(root, "outdir/", root, "moved"));
	res("escape path_link outdir/ -> linked", p_link(root, 0, "outdir/", root, "linked"));
	res("escape path_symlink x -> outdir/", p_symlink("x", root, "outdir/"));

	// rename / link / unlink / mkdir / rmdir
	res("escape path_rename hello.txt -> ../x", p_rename(root, "hello.txt", root, "../x"));
	res("escape path_rename ../outside.txt -> stolen.txt", p_rename(root, "../outside.txt", root, "stolen.txt"));
	res("escape path_rename hello.txt -> outdir/x", p_rename(root, "hello.txt", root, "outdir/x"));
	res("escape path_rename outdir/inner.txt -> stolen.txt", p_rename(root, "outdir/inner.txt", root, "stolen.txt"));
	res("escape path_rename sub -> ../sub", p_rename(root, "sub", root, "../sub"));
	res("escape path_link hello.txt -> ../x", p_link(root, 0, "hello.txt", root, "../x"));
	res("escape path_link ../outside.txt -> stolen.txt", p_link(root, 0, "../outside.txt", root, "stolen.txt"));
	res("escape path_link outlink follow -> stolen.txt", p_link(root, FOLLOW, "outlink", root, "stolen.txt"));
	res("escape path_link passwd follow -> stolen.txt", p_link(root, FOLLOW, "passwd", root, "stolen.txt"));
	res("escape path_link outlink nofollow -> outlink.hard (links the symlink itself)",
	    p_link(root, 0, "outlink", root, "outlink.hard"));
	esc_open("outlink.hard follow", FOLLOW, "outlink.hard", 0, RIGHTS_RO);
	res("escape path_unlink_file ../outside.txt", p_unlink(root, "../outside.txt"));
	res("escape path_unlink_file outdir/inner.txt", p_unlink(root, "outdir/inner.txt"));
	res("escape path_unlink_file /etc/passwd", p_unlink(root, "/etc/passwd"));
	res("escape path_create_directory ../newdir", p_mkdir(root, "../newdir"));
	res("escape path_create_directory outdir/newdir", p_mkdir(root, "outdir/newdir"));
	res("escape path_create_directory /newdir", p_mkdir(root, "/newdir"));
	res("escape path_remove_directory ../outside", p_rmdir(root, "../outside"));
	res("escape path_remove_directory outdir (a symlink)", p_rmdir(root, "outdir"));
	res("escape path_remove_directory ..", p_rmdir(root, ".."));
	res("escape path_remove_directory .", p_rmdir(root, "."));
	res("escape path_unlink_file outlink.hard (the guest's own link, inside)", p_unlink(root, "outlink.hard"));
	show_file("escape aftermath hello.txt", "hello.txt");
	{
		__wasi_filestat_t st;
		yesno("escape aftermath stolen.txt absent", p_stat(root, 0, "stolen.txt", &st) == __WASI_ERRNO_NOENT);
		yesno("escape aftermath sub present", p_stat(root, 0, "sub", &st) == 0);
	}
	for (const char *const *n = (const char *const[]){"evil1", "evil2", "evil3", "evil4", "evildir", 0}; *n; n++) {
		char l[80];
		snprintf(l, sizeof l, "escape cleanup unlink %s", *n);
		res(l, p_unlink(root, *n));
	}
}

// ------------------------------------------------------- args / environ --

static void esc_print(const char *label, const char *s, size_t n) {
	char buf[600];
	size_t j = 0;
	for (size_t i = 0; i < n && j < sizeof buf - 5; i++) {
		unsigned char c = s[i];
		if (c == '\n') {
			buf[j++] = '\\';
			buf[j++] = 'n';
		} else if (c == '"' || c == '\\') {
			buf[j++] = '\\';
			buf[j++] = c;
		} else if (c < 0x20 || c == 0x7f) {
			j += snprintf(buf + j, sizeof buf - j, "\\x%02x", c);
		} else
			buf[j++] = c;
	}
	buf[j] = 0;
	say("%s\"%s\"", label, buf);
}

static void args_env(void) {
	say("== args and environ");
	uint32_t argc = 0, bufsz = 0;
	res("args_sizes_get", r_args_sizes_get(P(&argc), P(&bufsz)));
	say("argc: %u", argc);
	static char *argv[64];
	static char abuf[4096];
	if (argc > 64 || bufsz > sizeof abuf) {
		say("args too big");
		return;
	}
	res("args_get", r_args_get(P(argv), P(abuf)));
	uint32_t sum = 0;
	for (uint32_t i = 0; i < argc; i++) sum += strlen(argv[i]) + 1;
	yesno("args buffer size == sum of (len+1)", sum == bufsz);
	yesno("argv strings packed in order in the buffer", argc == 0 || argv[0] == abuf);
	for (uint32_t i = 1; i < argc; i++) {
		char l[32];
		snprintf(l, sizeof l, "argv[%u] = ", i);
		esc_print(l, argv[i], strlen(argv[i]));
	}
	uint32_t envc = 0, envsz = 0;
	res("environ_sizes_get", r_environ_sizes_get(P(&envc), P(&envsz)));
	say("environ count: %u, buffer size: %u", envc, envsz);
	static char *envp[64];
	static char ebuf[4096];
	if (envc > 64 || envsz > sizeof ebuf) {
		say("environ too big");
		return;
	}
	res("environ_get", r_environ_get(P(envp), P(ebuf)));
	for (uint32_t i = 0; i < envc; i++) {
		char l[32];
		snprintf(l, sizeof l, "environ[%u] = ", i);
		esc_print(l, envp[i], strlen(envp[i]));
	}
	// calling them twice gives the same answer
	uint32_t argc2 = 0, bufsz2 = 0;
	r_args_sizes_get(P(&argc2), P(&bufsz2));
	yesno("args_sizes_get stable", argc2 == argc && bufsz2 == bufsz);
}

// --------------------------------------------------------------- prestat --

static void prestat(void) {
	say("== prestat");
	__wasi_prestat_t ps;
	int e = r_fd_prestat_get(3, P(&ps));
	if (e == 0) {
		say("fd_prestat_get 3: ok tag %d name_len %u", ps.tag, ps.u.dir.pr_name_len);
		char name[64];
		memset(name, 'X', sizeof name);
		e = r_fd_prestat_dir_name(3, P(name), ps.u.dir.pr_name_len);
		if (e == 0)
			esc_print("fd_prestat_dir_name 3: ok ", name, ps.u.dir.pr_name_len);
		else
			res("fd_prestat_dir_name 3", e);
		yesno("fd_prestat_dir_name writes nothing past name_len", name[ps.u.dir.pr_name_len] == 'X');
		memset(name, 'X', sizeof name);
		e = r_fd_prestat_dir_name(3, P(name), sizeof name);
		res("fd_prestat_dir_name 3 with a 64-byte buffer", e);
		if (e == 0) say("byte after the name: %s", name[ps.u.dir.pr_name_len] == 0 ? "NUL" : name[ps.u.dir.pr_name_len] == 'X' ? "untouched" : "other");
		e = r_fd_prestat_dir_name(3, P(name), 3);
		res("fd_prestat_dir_name 3 with a 3-byte buffer", e);
	} else
		res("fd_prestat_get 3", e);
	for (uint32_t fd = 0; fd <= 5; fd++) {
		if (fd == 3) continue;
		char l[64];
		snprintf(l, sizeof l, "fd_prestat_get %u", fd);
		res(l, r_fd_prestat_get(fd, P(&ps)));
	}
	char name[16];
	res("fd_prestat_dir_name 0", r_fd_prestat_dir_name(0, P(name), sizeof name));
	res("fd_prestat_dir_name 99", r_fd_prestat_dir_name(99, P(name), sizeof name));
}

// ---------------------------------------------------------------- clocks --

static uint64_t now(uint32_t id) {
	uint64_t t = 0;
	r_clock_time_get(id, 1, P(&t));
	return t;
}

static void clocks(void) {
	say("== clocks");
	static const char *const names[] = {"realtime", "monotonic", "process_cputime", "thread_cputime"};
	for (uint32_t id = 0; id < 4; id++) {
		uint64_t r = 0, t = 0;
		char l[80];
		snprintf(l, sizeof l, "clock_res_get %s", names[id]);
		int e = r_clock_res_get(id, P(&r));
		if (e == 0)
			say("%s: ok, res > 0: %s, res <= 1ms: %s", l, r > 0 ? "true" : "false", r <= 1000000 ? "true" : "false");
		else
			res(l, e);
		snprintf(l, sizeof l, "clock_time_get %s", names[id]);
		e = r_clock_time_get(id, 0, P(&t));
		if (e == 0)
			say("%s: ok, nonzero: %s", l, t > 0 ? "true" : "false");
		else
			res(l, e);
	}
	uint64_t t = 0;
	res("clock_time_get realtime precision 2^64-1", r_clock_time_get(0, ~(uint64_t)0, P(&t)));
	uint64_t rt = now(0);
	yesno("realtime after 2020-01-01", rt > 1577836800ull * 1000000000ull);
	yesno("realtime before 2100-01-01", rt < 4102444800ull * 1000000000ull);
	uint64_t m1 = now(1), m2 = now(1), m3 = now(1);
	yesno("monotonic non-decreasing", m1 <= m2 && m2 <= m3);
	uint64_t c1 = now(2);
	volatile uint32_t x = 0;
	for (uint32_t i = 0; i < 3000000; i++) x += i;
	uint64_t c2 = now(2);
	yesno("process_cputime non-decreasing", c1 <= c2);
}

// ---------------------------------------------------- random / sched / raise --

static void misc(void) {
	say("== random_get, sched_yield, proc_raise");
	uint8_t a[32], b[32];
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	res("random_get 32", r_random_get(P(a), sizeof a));
	res("random_get 32 again", r_random_get(P(b), sizeof b));
	yesno("two random draws differ", memcmp(a, b, sizeof a) != 0);
	int zero = 1;
	for (int i = 0; i < 32; i++) zero &= a[i] == 0;
	yesno("random draw not all zero", !zero);
	res("random_get 0 bytes", r_random_get(P(a), 0));
	static uint8_t big[65536];
	res("random_get 65536", r_random_get(P(big), sizeof big));
	uint32_t hist[256] = {0};
	for (uint32_t i = 0; i < sizeof big; i++) hist[big[i]]++;
	int spread = 1;
	for (int i = 0; i < 256; i++) spread &= hist[i] > 128 && hist[i] < 384;
	yesno("65536 random bytes roughly uniform", spread);
	res("sched_yield", r_sched_yield());
	res("proc_raise 0", r_proc_raise(0));
	res("proc_raise SIGUSR1 (10)", r_proc_raise(10));
	res("proc_raise SIGABRT (6)", r_proc_raise(6));
}

// ------------------------------------------------------------- readdir --

typedef struct {
	char name[64];
	uint8_t type;
	uint64_t ino;
} dent;

static int dent_cmp(const void *a, const void *b) { return strcmp(((const dent *)a)->name, ((const dent *)b)->name); }

// reads the whole directory with buffer size bufsz, resuming from cookies;
// returns the number of entries or -errno
static int read_dir(uint32_t fd, uint32_t bufsz, dent *out, int max, int *calls) {
	static uint8_t buf[8192];
	uint64_t cookie = 0;
	int n = 0;
	*calls = 0;
	for (;;) {
		uint32_t used = 0;
		int e = r_fd_readdir(fd, P(buf), bufsz, cookie, P(&used));
		(*calls)++;
		if (e) return -e;
		uint32_t off = 0;
		int progressed = 0;
		while (off + sizeof(__wasi_dirent_t) <= used) {
			__wasi_dirent_t d;
			memcpy(&d, buf + off, sizeof d);
			if (off + sizeof d + d.d_namlen > used) break; // name truncated
			if (n < max) {
				uint32_t l = d.d_namlen < 63 ? d.d_namlen : 63;
				memcpy(out[n].name, buf + off + sizeof d, l);
				out[n].name[l] = 0;
				out[n].type = d.d_type;
				out[n].ino = d.d_ino;
			}
			n++;
			cookie = d.d_next;
			off += sizeof d + d.d_namlen;
			progressed = 1;
		}
		if (used < bufsz) break; // end of directory
		if (!progressed) return -1000; // buffer too small for one entry
		if (*calls > 10000) return -1001;
	}
	return n;
}

static void list_dir(const char *label, uint32_t fd) {
	static dent ents[256];
	int calls;
	int n = read_dir(fd, 4096, ents, 256, &calls);
	if (n < 0) {
		say("%s: errno %d", label, -n);
		return;
	}
	qsort(ents, n < 256 ? n : 256, sizeof(dent), dent_cmp);
	char line[2048];
	size_t j = 0;
	for (int i = 0; i < n && i < 256; i++)
		j += snprintf(line + j, sizeof line - j, "%s%s:%d", i ? " " : "", ents[i].name, ents[i].type);
	say("%s (%d entries, sorted, name:type): %s", label, n, line);
}

// ---------------------------------------------------------------- files --

static void fdstat(const char *label, uint32_t fd) {
	__wasi_fdstat_t st;
	int e = r_fd_fdstat_get(fd, P(&st));
	if (e) {
		res(label, e);
		return;
	}
	say("%s: ok filetype %d flags 0x%x rights 0x%llx inheriting 0x%llx", label, st.fs_filetype, st.fs_flags,
	    (unsigned long long)st.fs_rights_base, (unsigned long long)st.fs_rights_inheriting);
}

static int fstat_(uint32_t fd, __wasi_filestat_t *st) { return r_fd_filestat_get(fd, P(st)); }

static void write_all(const char *label, uint32_t fd, const char *s) {
	uint32_t nw = 0, tot = 0, len = strlen(s);
	int e = 0;
	while (tot < len && (e = fd_write_str(fd, s + tot, &nw)) == 0 && nw > 0) tot += nw;
	if (e)
		res(label, e);
	else
		say("%s: ok %u bytes", label, tot);
}

static void show_fd(const char *label, uint32_t fd) {
	// pread the whole file from offset 0
	char buf[256];
	uint32_t got = 0, n = 0;
	int e = 0;
	for (;;) {
		__wasi_iovec_t iov = {(uint8_t *)buf + got, sizeof buf - 1 - got};
		if (iov.buf_len == 0) break;
		e = r_fd_pread(fd, P(&iov), 1, got, P(&n));
		if (e || n == 0) break;
		got += n;
	}
	if (e) {
		res(label, e);
		return;
	}
	char l[128];
	snprintf(l, sizeof l, "%s: ", label);
	esc_print(l, buf, got);
}

static void files(void) {
	const uint32_t C = __WASI_OFLAGS_CREAT, D = __WASI_OFLAGS_DIRECTORY, X = __WASI_OFLAGS_EXCL,
	               T = __WASI_OFLAGS_TRUNC;
	uint32_t f, dfd;
	int e;
	__wasi_filestat_t st, st2;
	say("== directories and files");
	list_dir("fd_readdir /sandbox", root);
	fdstat("fd_fdstat_get /sandbox (preopen)", root);
	res("path_create_directory cwork", p_mkdir(root, "cwork"));
	res("path_create_directory cwork again", p_mkdir(root, "cwork"));
	res("path_create_directory hello.txt (existing file)", p_mkdir(root, "hello.txt"));
	res("path_create_directory cwork/a/b (parent missing)", p_mkdir(root, "cwork/a/b"));
	res("path_create_directory cwork/sub", p_mkdir(root, "cwork/sub"));

	e = res("path_open cwork/f.txt creat|excl", p_open(root, 0, "cwork/f.txt", C | X, RIGHTS_RW, 0, &f));
	if (e) return;
	res("path_open cwork/f.txt creat|excl again", try_open(0, "cwork/f.txt", C | X, RIGHTS_RW, 0));
	fdstat("fd_fdstat_get cwork/f.txt", f);

	// write with two iovecs; Wasmtime transfers only the first one per call,
	// which is legal, so only the total is printed
	{
		const char *a = "hello ", *b = "world\n";
		__wasi_ciovec_t iov[2] = {{(const uint8_t *)a, 6}, {(const uint8_t *)b, 6}};
		uint32_t nw = 0;
		e = r_fd_write(f, P(iov), 2, P(&nw));
		res("fd_write 2 iovecs", e);
		yesno("fd_write 2 iovecs: nwritten in [1,12]", nw >= 1 && nw <= 12);
		uint32_t tot = nw;
		while (e == 0 && tot < 12) {
			const char *s = "hello world\n";
			e = fd_write_str(f, s + tot, &nw);
			if (nw == 0) break;
			tot += nw;
		}
		say("fd_write total: %u", tot);
	}
	uint64_t off = 0;
	res("fd_tell", r_fd_tell(f, P(&off)));
	say("offset: %llu", (unsigned long long)off);
	res("fd_seek 0 SET", r_fd_seek(f, 0, __WASI_WHENCE_SET, P(&off)));
	say("offset: %llu", (unsigned long long)off);
	{
		char buf[16] = {0};
		uint32_t n = 0;
		res("fd_read 5", fd_read_buf(f, buf, 5, &n));
		esc_print("fd_read 5 got: ", buf, n);
		char b1[3], b2[4];
		__wasi_iovec_t iov[2] = {{(uint8_t *)b1, 3}, {(uint8_t *)b2, 4}};
		e = r_fd_read(f, P(iov), 2, P(&n));
		res("fd_read 2 iovecs (3+4)", e);
		yesno("fd_read 2 iovecs: nread in [1,7]", n >= 1 && n <= 7);
		esc_print("fd_read 2 iovecs: first iovec got: ", b1, n < 3 ? n : 3);
	}
	res("fd_seek -3 END", r_fd_seek(f, -3, __WASI_WHENCE_END, P(&off)));
	say("offset: %llu", (unsigned long long)off);
	res("fd_seek +1 CUR", r_fd_seek(f, 1, __WASI_WHENCE_CUR, P(&off)));
	say("offset: %llu", (unsigned long long)off);
	res("fd_seek 0 CUR", r_fd_seek(f, 0, __WASI_WHENCE_CUR, P(&off)));
	say("offset: %llu", (unsigned long long)off);
	res("fd_seek -100 CUR (before start)", r_fd_seek(f, -100, __WASI_WHENCE_CUR, P(&off)));
	res("fd_seek 1000 SET (past end)", r_fd_seek(f, 1000, __WASI_WHENCE_SET, P(&off)));
	say("offset: %llu", (unsigned long long)off);
	res("fd_seek 10 SET", r_fd_seek(f, 10, __WASI_WHENCE_SET, P(&off)));
	{
		char buf[16] = {0};
		uint32_t n = 0;
		__wasi_iovec_t iov = {(uint8_t *)buf, 5};
		res("fd_pread 5 at 6", r_fd_pread(f, P(&iov), 1, 6, P(&n)));
		esc_print("fd_pread got: ", buf, n);
		r_fd_tell(f, P(&off));
		say("fd_tell after pread: %llu", (unsigned long long)off);
		res("fd_pread at 100 (past end)", r_fd_pread(f, P(&iov), 1, 100, P(&n)));
		say("fd_pread past end nread: %u", n);
		__wasi_ciovec_t ci = {(const uint8_t *)"HELLO", 5};
		res("fd_pwrite HELLO at 0", r_fd_pwrite(f, P(&ci), 1, 0, P(&n)));
		say("fd_pwrite nwritten: %u", n);
		r_fd_tell(f, P(&off));
		say("fd_tell after pwrite: %llu", (unsigned long long)off);
		show_fd("content", f);
	}
	res("fd_filestat_get", fstat_(f, &st));
	say("filetype %d size %llu nlink %llu", st.filetype, (unsigned long long)st.size, (unsigned long long)st.nlink);
	res("fd_filestat_set_size 20", r_fd_filestat_set_size(f, 20));
	fstat_(f, &st);
	say("size %llu", (unsigned long long)st.size);
	{
		char buf[8];
		uint32_t n = 0;
		__wasi_iovec_t iov = {(uint8_t *)buf, 8};
		r_fd_pread(f, P(&iov), 1, 12, P(&n));
		int z = n == 8;
		for (uint32_t i = 0; i < n; i++) z &= buf[i] == 0;
		yesno("extension reads as 8 zero bytes", z);
	}
	res("fd_filestat_set_size 5", r_fd_filestat_set_size(f, 5));
	show_fd("content", f);
	res("fd_allocate 0 100", r_fd_allocate(f, 0, 100));
	fstat_(f, &st);
	say("size after fd_allocate: %llu", (unsigned long long)st.size);
	for (uint32_t adv = 0; adv <= 5; adv++) {
		char l[40];
		snprintf(l, sizeof l, "fd_advise advice %u", adv);
		res(l, r_fd_advise(f, 0, 5, adv));
	}
	res("fd_datasync", r_fd_datasync(f));
	res("fd_sync", r_fd_sync(f));

	// times
	{
		const uint64_t A = 1600000000ull * 1000000000ull + 123456789ull;
		const uint64_t M = 1500000000ull * 1000000000ull + 987654321ull;
		res("fd_filestat_set_times atim+mtim", r_fd_filestat_set_times(f, A, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
		fstat_(f, &st);
		yesno("atim set exactly", st.atim == A);
		yesno("mtim set exactly", st.mtim == M);
		res("fd_filestat_set_times mtim only", r_fd_filestat_set_times(f, 0, M + 1000, __WASI_FSTFLAGS_MTIM));
		fstat_(f, &st);
		yesno("atim unchanged", st.atim == A);
		yesno("mtim set exactly", st.mtim == M + 1000);
		uint64_t t0 = now(0);
		res("fd_filestat_set_times atim_now+mtim_now", r_fd_filestat_set_times(f, 0, 0, __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));
		fstat_(f, &st);
		uint64_t t1 = now(0);
		const uint64_t slack = 2000000000ull;
		yesno("mtim now", st.mtim + slack >= t0 && st.mtim <= t1 + slack);
		yesno("atim now", st.atim + slack >= t0 && st.atim <= t1 + slack);
		res("fd_filestat_set_times atim|atim_now (invalid)", r_fd_filestat_set_times(f, A, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
		res("fd_filestat_set_times mtim|mtim_now (invalid)", r_fd_filestat_set_times(f, 0, M, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
		res("fd_filestat_set_times no flags", r_fd_filestat_set_times(f, 0, 0, 0));
		res("path_filestat_set_times cwork/f.txt mtim", r_path_filestat_set_times(root, FOLLOW, P("cwork/f.txt"), 11, 0, M, __WASI_FSTFLAGS_MTIM));
		e = p_stat(root, FOLLOW, "cwork/f.txt", &st2);
		res("path_filestat_get cwork/f.txt", e);
		yesno("mtim set exactly via path", st2.mtim == M);
		fstat_(f, &st);
		yesno("path and fd stat agree on ino", st.ino == st2.ino);
		yesno("path and fd stat agree on dev", st.dev == st2.dev);
		say("path_filestat_get: filetype %d size %llu nlink %llu", st2.filetype, (unsigned long long)st2.size, (unsigned long long)st2.nlink);
		res("path_filestat_set_times hello.link nofollow atim+mtim",
		    r_path_filestat_set_times(root, 0, P("hello.link"), 10, A, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
		p_stat(root, 0, "hello.link", &st2);
		yesno("symlink's own mtim set", st2.mtim == M);
		p_stat(root, FOLLOW, "hello.link", &st2);
		yesno("target's mtim untouched", st2.mtim != M);
		res("path_filestat_set_times hello.link follow mtim",
		    r_path_filestat_set_times(root, FOLLOW, P("hello.link"), 10, 0, M, __WASI_FSTFLAGS_MTIM));
		p_stat(root, 0, "hello.txt", &st2);
		yesno("target's mtim set through symlink", st2.mtim == M);
		res("path_filestat_set_times missing.txt", r_path_filestat_set_times(root, FOLLOW, P("missing.txt"), 11, 0, M, __WASI_FSTFLAGS_MTIM));
		res("path_filestat_get missing.txt", p_stat(root, FOLLOW, "missing.txt", &st2));
		e = p_stat(root, FOLLOW, "sub", &st2);
		say("path_filestat_get sub: %s filetype %d", e ? "error" : "ok", st2.filetype);
		e = p_stat(root, 0, "hello.link", &st2);
		say("path_filestat_get hello.link nofollow: %s filetype %d size %llu", e ? "error" : "ok", st2.filetype, (unsigned long long)st2.size);
		e = p_stat(root, FOLLOW, "hello.link", &st2);
		say("path_filestat_get hello.link follow: %s filetype %d size %llu", e ? "error" : "ok", st2.filetype, (unsigned long long)st2.size);
		res("path_filestat_get hello.txt/ (trailing slash)", p_stat(root, FOLLOW, "hello.txt/", &st2));
	}

	// fdflags
	say("-- fdflags");
	res("fd_fdstat_set_flags append", r_fd_fdstat_set_flags(f, __WASI_FDFLAGS_APPEND));
	fdstat("fd_fdstat_get after set append", f);
	r_fd_seek(f, 0, __WASI_WHENCE_SET, P(&off));
	write_all("fd_write +app (append mode, offset 0)", f, "+app");
	show_fd("content", f);
	r_fd_tell(f, P(&off));
	say("offset after append write: %llu", (unsigned long long)off);
	res("fd_fdstat_set_flags 0", r_fd_fdstat_set_flags(f, 0));
	fdstat("fd_fdstat_get after set 0", f);
	res("fd_fdstat_set_flags nonblock", r_fd_fdstat_set_flags(f, __WASI_FDFLAGS_NONBLOCK));
	fdstat("fd_fdstat_get after set nonblock", f);
	res("fd_fdstat_set_flags dsync", r_fd_fdstat_set_flags(f, __WASI_FDFLAGS_DSYNC));
	res("fd_fdstat_set_flags rsync", r_fd_fdstat_set_flags(f, __WASI_FDFLAGS_RSYNC));
	res("fd_fdstat_set_flags sync", r_fd_fdstat_set_flags(f, __WASI_FDFLAGS_SYNC));
	r_fd_fdstat_set_flags(f, 0);
	res("fd_fdstat_set_flags append on /sandbox", r_fd_fdstat_set_flags(root, __WASI_FDFLAGS_APPEND));
	res("fd_fdstat_set_flags 99", r_fd_fdstat_set_flags(99, 0));

	// rights
	say("-- rights");
	res("fd_fdstat_set_rights read-only", r_fd_fdstat_set_rights(f, RIGHTS_RO, 0));
	fdstat("fd_fdstat_get after set_rights", f);
	{
		uint32_t nw;
		res("fd_write after dropping FD_WRITE", fd_write_str(f, "x", &nw));
	}
	res("fd_fdstat_set_rights grow back", r_fd_fdstat_set_rights(f, RIGHTS_RW, RIGHTS_RW));
	res("fd_fdstat_set_rights all", r_fd_fdstat_set_rights(f, RIGHTS_ALL, RIGHTS_ALL));
	res("fd_fdstat_set_rights 0", r_fd_fdstat_set_rights(f, 0, 0));
	fdstat("fd_fdstat_get after set_rights 0", f);
	{
		char b[4];
		uint32_t n;
		res("fd_read after set_rights 0", fd_read_buf(f, b, 4, &n));
	}
	res("fd_fdstat_set_rights 99", r_fd_fdstat_set_rights(99, 0, 0));
	res("fd_close cwork/f.txt", r_fd_close(f));
	res("fd_close cwork/f.txt again", r_fd_close(f));
	fdstat("fd_fdstat_get closed fd", f);

	// path_open oflags and fdflags
	say("-- path_open flags");
	e = res("path_open cwork/f.txt trunc", p_open(root, 0, "cwork/f.txt", T, RIGHTS_RW, 0, &f));
	if (!e) {
		fstat_(f, &st);
		say("size after trunc: %llu", (unsigned long long)st.size);
		write_all("fd_write", f, "0123456789");
		r_fd_close(f);
	}
	e = res("path_open cwork/f.txt creat (exists, no excl)", p_open(root, 0, "cwork/f.txt", C, RIGHTS_RW, 0, &f));
	if (!e) {
		fstat_(f, &st);
		say("size kept: %llu", (unsigned long long)st.size);
		r_fd_close(f);
	}
	res("path_open cwork/f.txt excl without creat", try_open(0, "cwork/f.txt", X, RIGHTS_RW, 0));
	res("path_open cwork/new.txt excl without creat", try_open(0, "cwork/new.txt", X, RIGHTS_RW, 0));
	res("path_open cwork/f.txt directory", try_open(0, "cwork/f.txt", D, RIGHTS_DIR, 0));
	res("path_open cwork/nd creat|directory", try_open(0, "cwork/nd", C | D, RIGHTS_DIR, 0));
	res("path_open cwork/sub creat|directory (exists)", try_open(0, "cwork/sub", C | D, RIGHTS_DIR, 0));
	res("path_open cwork/sub creat (a directory)", try_open(0, "cwork/sub", C, RIGHTS_RW, 0));
	res("path_open cwork/sub trunc (a directory)", try_open(0, "cwork/sub", T, RIGHTS_RW, 0));
	res("path_open cwork/sub read-only without directory flag", try_open(0, "cwork/sub", 0, RIGHTS_RO, 0));
	res("path_open cwork/sub with write rights", try_open(0, "cwork/sub", 0, RIGHTS_RW, 0));
	res("path_open cwork/sub directory with write rights", try_open(0, "cwork/sub", D, RIGHTS_RW | RIGHTS_DIR, 0));
	res("path_open missing.txt", try_open(0, "missing.txt", 0, RIGHTS_RO, 0));
	res("path_open cwork/nodir/x creat", try_open(0, "cwork/nodir/x", C, RIGHTS_RW, 0));
	res("path_open cwork/f.txt/x (file as dir)", try_open(0, "cwork/f.txt/x", 0, RIGHTS_RO, 0));
	res("path_open cwork/f.txt trunc read-only rights", try_open(0, "cwork/f.txt", T, RIGHTS_RO, 0));
	res("path_open cwork/ro.txt creat read-only rights", try_open(0, "cwork/ro.txt", C, RIGHTS_RO, 0));
	res("path_open cwork/f.txt rights 0", try_open(0, "cwork/f.txt", 0, 0, 0));
	e = res("path_open cwork/f.txt fdflags append", p_open(root, 0, "cwork/f.txt", 0, RIGHTS_RW, __WASI_FDFLAGS_APPEND, &f));
	if (!e) {
		fdstat("fd_fdstat_get (append)", f);
		write_all("fd_write", f, "AB");
		show_fd("content", f);
		r_fd_close(f);
	}
	static const struct {
		const char *name;
		uint32_t flag;
	} ff[] = {{"dsync", __WASI_FDFLAGS_DSYNC}, {"nonblock", __WASI_FDFLAGS_NONBLOCK}, {"rsync", __WASI_FDFLAGS_RSYNC}, {"sync", __WASI_FDFLAGS_SYNC}, {"rsync|sync", __WASI_FDFLAGS_RSYNC | __WASI_FDFLAGS_SYNC}};
	for (unsigned i = 0; i < sizeof ff / sizeof ff[0]; i++) {
		char l[80];
		snprintf(l, sizeof l, "path_open cwork/f.txt fdflags %s", ff[i].name);
		e = res(l, p_open(root, 0, "cwork/f.txt", 0, RIGHTS_RW, ff[i].flag, &f));
		if (!e) {
			snprintf(l, sizeof l, "fd_fdstat_get (%s)", ff[i].name);
			fdstat(l, f);
			write_all("fd_write", f, "s");
			r_fd_close(f);
		}
	}
	e = res("path_open cwork/f.txt fdflags nonblock read-only", p_open(root, 0, "cwork/f.txt", 0, RIGHTS_RO, __WASI_FDFLAGS_NONBLOCK, &f));
	if (!e) r_fd_close(f);
	show_file("cwork/f.txt", "cwork/f.txt");
	e = res("path_open cwork/wo.txt creat write-only rights", p_open(root, 0, "cwork/wo.txt", C, R(FD_WRITE), 0, &f));
	if (!e) {
		fdstat("fd_fdstat_get (write-only)", f);
		write_all("fd_write", f, "w");
		char b[4];
		uint32_t n;
		res("fd_read on write-only fd", fd_read_buf(f, b, 4, &n));
		r_fd_close(f);
	}
	e = res("path_open hello.txt read-only", p_open(root, 0, "hello.txt", 0, RIGHTS_RO, 0, &f));
	if (!e) {
		fdstat("fd_fdstat_get (read-only)", f);
		uint32_t nw;
		res("fd_write on read-only fd", fd_write_str(f, "x", &nw));
		__wasi_ciovec_t ci = {(const uint8_t *)"x", 1};
		res("fd_pwrite on read-only fd", r_fd_pwrite(f, P(&ci), 1, 0, P(&nw)));
		res("fd_filestat_set_size on read-only fd", r_fd_filestat_set_size(f, 0));
		res("fd_allocate on read-only fd", r_fd_allocate(f, 0, 10));
		res("fd_filestat_set_times on read-only fd", r_fd_filestat_set_times(f, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
		res("fd_readdir on a file", r_fd_readdir(f, P(&st), sizeof st, 0, P(&nw)));
		res("path_create_directory with a file as dirfd", p_mkdir(f, "x"));
		r_fd_close(f);
	}
	show_file("hello.txt unchanged", "hello.txt");

	// directory fds
	say("-- directory fds");
	e = res("path_open sub directory", p_open(root, 0, "sub", D, RIGHTS_DIR, 0, &dfd));
	if (!e) {
		fdstat("fd_fdstat_get sub", dfd);
		res("fd_filestat_get sub", fstat_(dfd, &st));
		say("filetype %d", st.filetype);
		char b[4];
		uint32_t n;
		res("fd_read on a directory", fd_read_buf(dfd, b, 4, &n));
		res("fd_write on a directory", fd_write_str(dfd, "x", &n));
		res("fd_seek on a directory", r_fd_seek(dfd, 0, __WASI_WHENCE_CUR, P(&off)));
		res("fd_tell on a directory", r_fd_tell(dfd, P(&off)));
		res("fd_allocate on a directory", r_fd_allocate(dfd, 0, 1));
		res("fd_filestat_set_size on a directory", r_fd_filestat_set_size(dfd, 0));
		res("fd_advise on a directory", r_fd_advise(dfd, 0, 0, 0));
		res("fd_sync on a directory", r_fd_sync(dfd));
		res("fd_datasync on a directory", r_fd_datasync(dfd));
		res("fd_prestat_get on an opened (non-preopen) directory", r_fd_prestat_get(dfd, P(&st)));
		e = p_open(dfd, 0, "a.txt", 0, RIGHTS_RO, 0, &f);
		res("path_open a.txt relative to sub", e);
		if (!e) {
			show_fd("content", f);
			r_fd_close(f);
		}
		res("path_open ../hello.txt relative to sub", try_open(0, "sub/../hello.txt", 0, RIGHTS_RO, 0));
		e = p_open(dfd, FOLLOW, "../hello.txt", 0, RIGHTS_RO, 0, &f);
		res("path_open ../hello.txt with dirfd=sub (escapes the opened dir, stays in preopen)", e);
		if (!e) r_fd_close(f);
		e = p_open(dfd, FOLLOW, "up.link", 0, RIGHTS_RO, 0, &f);
		res("path_open up.link (-> ../hello.txt) with dirfd=sub", e);
		if (!e) r_fd_close(f);
		list_dir("fd_readdir sub", dfd);
		res("fd_close sub", r_fd_close(dfd));
	}

	// readdir with cookies
	say("-- fd_readdir with cookies");
	res("path_create_directory cwork/many", p_mkdir(root, "cwork/many"));
	for (int i = 0; i < 40; i++) {
		char name[32];
		snprintf(name, sizeof name, "cwork/many/entry-%02d%s", i, i % 3 == 0 ? "-with-a-longer-name" : "");
		e = p_open(root, 0, name, C | X, RIGHTS_RW, 0, &f);
		if (e) {
			res(name, e);
			break;
		}
		r_fd_close(f);
	}
	p_mkdir(root, "cwork/many/zdir");
	p_symlink("entry-00-with-a-longer-name", root, "cwork/many/zlink");
	e = res("path_open cwork/many directory", p_open(root, 0, "cwork/many", D, RIGHTS_DIR, 0, &dfd));
	if (!e) {
		static dent big[128], small[128];
		int calls1, calls2;
		int n1 = read_dir(dfd, 4096, big, 128, &calls1);
		int n2 = read_dir(dfd, 64, small, 128, &calls2);
		say("entries with a 4096-byte buffer: %d", n1);
		say("entries with a 64-byte buffer, resumed from cookies: %d", n2);
		yesno("64-byte buffer needed several calls", calls2 > 5);
		if (n1 > 0 && n1 == n2) {
			int same = 1;
			for (int i = 0; i < n1; i++) same &= strcmp(big[i].name, small[i].name) == 0 && big[i].type == small[i].type;
			yesno("same entries in the same order", same);
			int dot = 0, dotdot = 0;
			for (int i = 0; i < n1; i++) {
				dot |= strcmp(big[i].name, ".") == 0;
				dotdot |= strcmp(big[i].name, "..") == 0;
			}
			say("includes \".\": %s, includes \"..\": %s", dot ? "true" : "false", dotdot ? "true" : "false");
			int inook = 1;
			for (int i = 0; i < n1; i++) {
				if (big[i].name[0] != 'e') continue;
				char path[96];
				snprintf(path, sizeof path, "cwork/many/%s", big[i].name);
				__wasi_filestat_t s;
				inook &= p_stat(root, 0, path, &s) == 0 && s.ino == big[i].ino;
			}
			yesno("d_ino equals path_filestat_get ino for the files", inook);
			qsort(big, n1, sizeof(dent), dent_cmp);
			char line[2048];
			size_t j = 0;
			for (int i = 0; i < n1; i++) j += snprintf(line + j, sizeof line - j, "%s%s:%d", i ? " " : "", big[i].name, big[i].type);
			say("sorted name:type: %s", line);
		}
		// a cookie in the middle: resuming from the cookie of entry k gives entries k+1..
		{
			static uint8_t buf[8192];
			uint32_t used = 0;
			r_fd_readdir(dfd, P(buf), sizeof buf, 0, P(&used));
			uint32_t o = 0;
			uint64_t cookie5 = 0, last = 0;
			char name6[64] = "";
			int k = 0;
			while (o + sizeof(__wasi_dirent_t) <= used) {
				__wasi_dirent_t d;
				memcpy(&d, buf + o, sizeof d);
				if (k == 5) cookie5 = d.d_next;
				if (k == 6) {
					memcpy(name6, buf + o + sizeof d, d.d_namlen < 63 ? d.d_namlen : 63);
					name6[d.d_namlen < 63 ? d.d_namlen : 63] = 0;
				}
				last = d.d_next;
				o += sizeof d + d.d_namlen;
				k++;
			}
			uint8_t b2[256];
			r_fd_readdir(dfd, P(b2), sizeof b2, cookie5, P(&used));
			__wasi_dirent_t d;
			memcpy(&d, b2, sizeof d);
			yesno("resuming from entry 5's d_next yields entry 6 first", used >= sizeof d && strlen(name6) == d.d_namlen && memcmp(b2 + sizeof d, name6, d.d_namlen) == 0);
			res("fd_readdir from the last entry's d_next", r_fd_readdir(dfd, P(b2), sizeof b2, last, P(&used)));
			say("bufused: %u", used);
			res("fd_readdir from cookie 1000000", r_fd_readdir(dfd, P(b2), sizeof b2, 1000000, P(&used)));
			say("bufused: %u", used);
			res("fd_readdir with a 10-byte buffer", r_fd_readdir(dfd, P(b2), 10, 0, P(&used)));
			say("bufused: %u", used);
			res("fd_readdir with a 0-byte buffer", r_fd_readdir(dfd, P(b2), 0, 0, P(&used)));
			say("bufused: %u", used);
		}
		r_fd_close(dfd);
	}
	res("fd_readdir bad fd", r_fd_readdir(99, P(&st), sizeof st, 0, P(&off)));

	// links, renames, symlinks, unlink, rmdir
	say("-- link, rename, symlink, unlink, rmdir");
	p_stat(root, 0, "cwork/f.txt", &st);
	res("path_link cwork/f.txt -> cwork/g.txt", p_link(root, 0, "cwork/f.txt", root, "cwork/g.txt"));
	p_stat(root, 0, "cwork/g.txt", &st2);
	yesno("ino equal after link", st.ino == st2.ino);
	say("nlink after link: %llu", (unsigned long long)st2.nlink);
	res("path_link onto an existing file", p_link(root, 0, "cwork/f.txt", root, "cwork/g.txt"));
	res("path_link a directory", p_link(root, 0, "cwork/sub", root, "cwork/sub2"));
	res("path_link missing source", p_link(root, 0, "cwork/missing", root, "cwork/x"));
	res("path_link hello.link nofollow -> cwork/hl (links the symlink)", p_link(root, 0, "hello.link", root, "cwork/hl"));
	p_stat(root, 0, "cwork/hl", &st2);
	say("cwork/hl filetype: %d", st2.filetype);
	res("path_link hello.link follow", p_link(root, FOLLOW, "hello.link", root, "cwork/hl2"));
	res("path_rename cwork/g.txt -> cwork/h.txt", p_rename(root, "cwork/g.txt", root, "cwork/h.txt"));
	res("path_filestat_get cwork/g.txt after rename", p_stat(root, 0, "cwork/g.txt", &st2));
	p_stat(root, 0, "cwork/h.txt", &st2);
	yesno("renamed file keeps ino", st.ino == st2.ino);
	{
		uint32_t x;
		p_open(root, 0, "cwork/other.txt", C, RIGHTS_RW, 0, &x);
		write_all("fd_write cwork/other.txt", x, "other");
		r_fd_close(x);
	}
	res("path_rename cwork/other.txt over cwork/h.txt (replaces)", p_rename(root, "cwork/other.txt", root, "cwork/h.txt"));
	show_file("cwork/h.txt", "cwork/h.txt");
	p_mkdir(root, "cwork/d1");
	p_mkdir(root, "cwork/d2");
	res("path_rename cwork/d1 -> cwork/d2 (empty dir, replaces)", p_rename(root, "cwork/d1", root, "cwork/d2"));
	res("path_rename cwork/d2 -> cwork/many (not empty)", p_rename(root, "cwork/d2", root, "cwork/many"));
	res("path_rename cwork/h.txt -> cwork/d2 (file onto dir)", p_rename(root, "cwork/h.txt", root, "cwork/d2"));
	res("path_rename cwork/d2 -> cwork/h.txt (dir onto file)", p_rename(root, "cwork/d2", root, "cwork/h.txt"));
	res("path_rename cwork/missing -> cwork/x", p_rename(root, "cwork/missing", root, "cwork/x"));
	res("path_rename cwork/d2 -> cwork/d2/inner (into itself)", p_rename(root, "cwork/d2", root, "cwork/d2/inner"));
	res("path_rename cwork/h.txt -> cwork/h.txt (same)", p_rename(root, "cwork/h.txt", root, "cwork/h.txt"));
	e = p_open(root, 0, "cwork", D, RIGHTS_DIR, 0, &dfd);
	if (!e) {
		res("path_rename across dirfds (/sandbox/cwork/h.txt -> cwork-dirfd/i.txt)", p_rename(root, "cwork/h.txt", dfd, "i.txt"));
		res("path_link across dirfds (cwork-dirfd/i.txt -> /sandbox/cwork/j.txt)", p_link(dfd, 0, "i.txt", root, "cwork/j.txt"));
		r_fd_close(dfd);
	}
	res("path_symlink f.txt -> cwork/s", p_symlink("f.txt", root, "cwork/s"));
	res("path_symlink onto an existing path", p_symlink("f.txt", root, "cwork/j.txt"));
	res("path_symlink in a missing dir", p_symlink("f.txt", root, "cwork/nodir/s"));
	{
		char buf[64];
		uint32_t used = 0;
		e = p_readlink(root, "cwork/s", buf, sizeof buf, &used);
		if (e == 0)
			esc_print("path_readlink cwork/s: ok ", buf, used);
		else
			res("path_readlink cwork/s", e);
		say("bufused: %u", used);
		memset(buf, 'X', sizeof buf);
		used = 99;
		e = p_readlink(root, "cwork/s", buf, 3, &used);
		res("path_readlink cwork/s with a 3-byte buffer", e);
		if (e == 0) {
			say("bufused: %u", used);
			esc_print("bytes: ", buf, used <= 3 ? used : 3);
			yesno("byte 3 untouched", buf[3] == 'X');
		}
		res("path_readlink with a 0-byte buffer", p_readlink(root, "cwork/s", buf, 0, &used));
		res("path_readlink cwork/f.txt (not a symlink)", p_readlink(root, "cwork/f.txt", buf, sizeof buf, &used));
		res("path_readlink cwork/missing", p_readlink(root, "cwork/missing", buf, sizeof buf, &used));
		res("path_readlink loop1", p_readlink(root, "loop1", buf, sizeof buf, &used));
		e = p_readlink(root, "subdir.link", buf, sizeof buf, &used);
		if (e == 0)
			esc_print("path_readlink subdir.link: ok ", buf, used);
		else
			res("path_readlink subdir.link", e);
	}
	e = p_open(root, FOLLOW, "cwork/s", 0, RIGHTS_RO, 0, &f);
	res("path_open cwork/s follow", e);
	if (!e) {
		show_fd("content through symlink", f);
		r_fd_close(f);
	}
	res("path_unlink_file cwork/s (the symlink)", p_unlink(root, "cwork/s"));
	res("path_filestat_get cwork/f.txt still there", p_stat(root, 0, "cwork/f.txt", &st2));
	res("path_unlink_file cwork/j.txt", p_unlink(root, "cwork/j.txt"));
	res("path_unlink_file cwork/j.txt again", p_unlink(root, "cwork/j.txt"));
	res("path_unlink_file cwork/sub (a directory)", p_unlink(root, "cwork/sub"));
	res("path_unlink_file cwork/f.txt/ (trailing slash)", p_unlink(root, "cwork/f.txt/"));
	res("path_unlink_file cwork/hl (hard link to a symlink)", p_unlink(root, "cwork/hl"));
	res("path_remove_directory cwork/many (not empty)", p_rmdir(root, "cwork/many"));
	res("path_remove_directory cwork/f.txt (a file)", p_rmdir(root, "cwork/f.txt"));
	res("path_remove_directory cwork/missing", p_rmdir(root, "cwork/missing"));
	res("path_remove_directory subdir.link (symlink to a dir)", p_rmdir(root, "subdir.link"));
	res("path_remove_directory cwork/d2", p_rmdir(root, "cwork/d2"));
	res("path_remove_directory cwork/sub/ (trailing slash)", p_rmdir(root, "cwork/sub/"));
	res("path_filestat_get cwork/sub after rmdir", p_stat(root, 0, "cwork/sub", &st2));
	list_dir("fd_readdir /sandbox at the end of files", root);
	e = p_open(root, 0, "cwork", D, RIGHTS_DIR, 0, &dfd);
	if (!e) {
		list_dir("fd_readdir cwork", dfd);
		r_fd_close(dfd);
	}
}

// -------------------------------------------------------------- renumber --

static void renumber(void) {
	say("== fd_renumber");
	uint32_t a, b;
	p_open(root, 0, "hello.txt", 0, RIGHTS_RO, 0, &a);
	p_open(root, 0, "lines.txt", 0, RIGHTS_RO, 0, &b);
	yesno("two fds differ", a != b);
	res("fd_renumber a -> b", r_fd_renumber(a, b));
	show_fd("b now reads", b);
	fdstat("fd_fdstat_get a after renumber", a);
	res("fd_renumber b -> b", r_fd_renumber(b, b));
	show_fd("b still reads", b);
	res("fd_renumber b -> 77 (not open)", r_fd_renumber(b, 77));
	if (r_fd_fdstat_get(77, P(&(__wasi_fdstat_t){0})) == 0) {
		show_fd("fd 77 reads", 77);
		r_fd_close(77);
	} else {
		show_fd("b reads", b);
		r_fd_close(b);
	}
	res("fd_renumber 99 -> 3", r_fd_renumber(99, 3));
	{
		uint32_t c;
		p_open(root, 0, "lines.txt", 0, RIGHTS_RO, 0, &c);
		res("fd_renumber file -> stdin (0)", r_fd_renumber(c, 0));
		show_fd("fd 0 reads", 0);
		fdstat("fd_fdstat_get old fd", c);
	}
	res("fd_close 99", r_fd_close(99));
}

// ---------------------------------------------------------------- stdio --

static void stdio(void) {
	say("== stdio");
	// read all of stdin with a 7-byte buffer
	char all[256];
	uint32_t got = 0, n = 0;
	int e, calls = 0;
	while (got < sizeof all - 7 && (e = fd_read_buf(0, all + got, 7, &n)) == 0 && n > 0) {
		got += n;
		calls++;
	}
	if (e) res("fd_read stdin", e);
	esc_print("stdin: ", all, got);
	res("fd_read stdin at EOF", fd_read_buf(0, all, 7, &n));
	say("nread at EOF: %u", n);
	uint32_t nw;
	res("fd_write stdin", fd_write_str(0, "x", &nw));
	res("fd_read stdout", fd_read_buf(1, all, 1, &n));
	__wasi_fdstat_t fs;
	for (uint32_t fd = 1; fd <= 2; fd++) {
		e = r_fd_fdstat_get(fd, P(&fs));
		say("fd_fdstat_get %u: %s, flags 0x%x", fd, e ? "error" : "ok", fs.fs_flags);
	}
	uint64_t off;
	res("fd_tell stdout", r_fd_tell(1, P(&off)));
	res("fd_seek stdout", r_fd_seek(1, 0, __WASI_WHENCE_CUR, P(&off)));
	__wasi_ciovec_t xi = {(const uint8_t *)"x", 1};
	res("fd_pwrite stdout", r_fd_pwrite(1, P(&xi), 1, 0, P(&nw)));
	res("fd_sync stdout", r_fd_sync(1));
	res("fd_datasync stdout", r_fd_datasync(1));
	res("fd_advise stdout", r_fd_advise(1, 0, 0, 0));
	res("fd_allocate stdout", r_fd_allocate(1, 0, 1));
	res("fd_filestat_set_size stdout", r_fd_filestat_set_size(1, 0));
	res("fd_fdstat_set_flags stdout 0", r_fd_fdstat_set_flags(1, 0));
	res("path_open with dirfd stdin", p_open(0, 0, "x", 0, RIGHTS_RO, 0, &nw));
	write_all("fd_write stderr", 2, "(this line goes to stderr)\n");
	// an empty write
	__wasi_ciovec_t z = {(const uint8_t *)"", 0};
	res("fd_write stdout 0 bytes", r_fd_write(1, P(&z), 1, P(&nw)));
	say("nwritten: %u", nw);
	res("fd_write stdout 0 iovecs", r_fd_write(1, P(&z), 0, P(&nw)));
	say("nwritten: %u", nw);
}

// ------------------------------------------------------------ poll_oneoff --

static void poll(void) {
	say("== poll_oneoff");
	__wasi_subscription_t sub[4];
	__wasi_event_t ev[4];
	uint32_t n = 0;
	memset(sub, 0, sizeof sub);
	memset(ev, 0xAA, sizeof ev);
	// relative monotonic clock, 5ms
	sub[0].userdata = 11;
	sub[0].u.tag = __WASI_EVENTTYPE_CLOCK;
	sub[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
	sub[0].u.u.clock.timeout = 5000000;
	sub[0].u.u.clock.precision = 0;
	uint64_t t0 = now(1);
	res("poll_oneoff relative monotonic 5ms", r_poll_oneoff(P(sub), P(ev), 1, P(&n)));
	uint64_t t1 = now(1);
	say("nevents %u userdata %llu error %d type %d", n, (unsigned long long)ev[0].userdata, ev[0].error, ev[0].type);
	yesno("slept at least 5ms", t1 - t0 >= 5000000);
	yesno("slept less than 5s", t1 - t0 < 5000000000ull);
	// relative realtime clock, 5ms (Wasmtime 39 never wakes from an absolute realtime
	// subscription, so that case is not compared)
	sub[0].userdata = 12;
	sub[0].u.u.clock.id = __WASI_CLOCKID_REALTIME;
	sub[0].u.u.clock.timeout = 5000000;
	t0 = now(1);
	res("poll_oneoff relative realtime 5ms", r_poll_oneoff(P(sub), P(ev), 1, P(&n)));
	t1 = now(1);
	say("nevents %u userdata %llu error %d type %d", n, (unsigned long long)ev[0].userdata, ev[0].error, ev[0].type);
	yesno("slept at least 5ms", t1 - t0 >= 5000000);
	yesno("slept less than 5s", t1 - t0 < 5000000000ull);
	// absolute monotonic clock in the past
	sub[0].userdata = 13;
	sub[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
	sub[0].u.u.clock.timeout = 1;
	sub[0].u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
	t0 = now(1);
	res("poll_oneoff absolute monotonic in the past", r_poll_oneoff(P(sub), P(ev), 1, P(&n)));
	t1 = now(1);
	say("nevents %u userdata %llu error %d type %d", n, (unsigned long long)ev[0].userdata, ev[0].error, ev[0].type);
	yesno("returned within 1s", t1 - t0 < 1000000000ull);
	// relative clock of 0
	sub[0].userdata = 14;
	sub[0].u.u.clock.flags = 0;
	sub[0].u.u.clock.timeout = 0;
	res("poll_oneoff relative 0", r_poll_oneoff(P(sub), P(ev), 1, P(&n)));
	say("nevents %u userdata %llu error %d type %d", n, (unsigned long long)ev[0].userdata, ev[0].error, ev[0].type);
	// fd readiness: a file for reading, stdout and a file for writing, plus a 10s timeout
	uint32_t rf, wf;
	p_open(root, 0, "hello.txt", 0, RIGHTS_RO, 0, &rf);
	p_open(root, 0, "cwork/poll.txt", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0, &wf);
	memset(sub, 0, sizeof sub);
	sub[0].userdata = 21;
	sub[0].u.tag = __WASI_EVENTTYPE_FD_READ;
	sub[0].u.u.fd_read.file_descriptor = rf;
	sub[1].userdata = 22;
	sub[1].u.tag = __WASI_EVENTTYPE_FD_WRITE;
	sub[1].u.u.fd_write.file_descriptor = 1;
	sub[2].userdata = 23;
	sub[2].u.tag = __WASI_EVENTTYPE_FD_WRITE;
	sub[2].u.u.fd_write.file_descriptor = wf;
	sub[3].userdata = 24;
	sub[3].u.tag = __WASI_EVENTTYPE_CLOCK;
	sub[3].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
	sub[3].u.u.clock.timeout = 10000000000ull;
	// Wasmtime reports a regular file readable only once its reader thread has run,
	// so the readable file waits alone (with the clock) first.
	__wasi_subscription_t rsub[2] = {sub[0], sub[3]};
	t0 = now(1);
	res("poll_oneoff fd_read file + 10s clock", r_poll_oneoff(P(rsub), P(ev), 2, P(&n)));
	t1 = now(1);
	yesno("returned within 5s", t1 - t0 < 5000000000ull);
	say("nevents %u userdata %llu error %d type %d nbytes > 0: %s", n, (unsigned long long)ev[0].userdata, ev[0].error,
	    ev[0].type, ev[0].fd_readwrite.nbytes > 0 ? "true" : "false");
	sub[0] = sub[3];
	sub[0].userdata = 21;
	t0 = now(1);
	res("poll_oneoff 10s clock + fd_write stdout + fd_write file + 10s clock", r_poll_oneoff(P(sub), P(ev), 4, P(&n)));
	t1 = now(1);
	yesno("returned within 5s", t1 - t0 < 5000000000ull);
	say("nevents: %u", n);
	for (uint64_t u = 21; u <= 24; u++) {
		// in userdata order
		int found = 0;
		for (uint32_t j = 0; j < n && j < 4; j++) {
			if (ev[j].userdata != u) continue;
			found = 1;
			say("event userdata %llu error %d type %d", (unsigned long long)u, ev[j].error, ev[j].type);
		}
		if (!found) say("no event for userdata %llu", (unsigned long long)u);
	}
	// bad fd
	memset(sub, 0, sizeof sub);
	sub[0].userdata = 31;
	sub[0].u.tag = __WASI_EVENTTYPE_FD_READ;
	sub[0].u.u.fd_read.file_descriptor = 99;
	int e = r_poll_oneoff(P(sub), P(ev), 1, P(&n));
	res("poll_oneoff fd_read on fd 99", e);
	if (e == 0) say("nevents %u userdata %llu error %d type %d", n, (unsigned long long)ev[0].userdata, ev[0].error, ev[0].type);
	sub[0].u.tag = __WASI_EVENTTYPE_FD_WRITE;
	sub[0].u.u.fd_write.file_descriptor = 3;
	e = r_poll_oneoff(P(sub), P(ev), 1, P(&n));
	res("poll_oneoff fd_write on the preopen directory", e);
	if (e == 0) say("nevents %u userdata %llu error %d type %d", n, (unsigned long long)ev[0].userdata, ev[0].error, ev[0].type);
	res("poll_oneoff 0 subscriptions", r_poll_oneoff(P(sub), P(ev), 0, P(&n)));
	r_fd_close(rf);
	r_fd_close(wf);
}

// --------------------------------------------------------------- sockets --

static void sockets(void) {
	say("== sockets (none preopened)");
	uint32_t f;
	p_open(root, 0, "hello.txt", 0, RIGHTS_RO, 0, &f);
	static const struct {
		const char *name;
		uint32_t fd;
	} fds[] = {{"fd 99", 99}, {"a regular file", 0}, {"stdout", 1}, {"the preopen dir", 3}};
	for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++) {
		uint32_t fd = fds[i].fd ? fds[i].fd : f;
		char l[80];
		uint32_t nfd, n, flags;
		uint8_t buf[8];
		__wasi_iovec_t iov = {buf, sizeof buf};
		__wasi_ciovec_t ci = {(const uint8_t *)"x", 1};
		snprintf(l, sizeof l, "sock_accept %s", fds[i].name);
		res(l, r_sock_accept(fd, 0, P(&nfd)));
		snprintf(l, sizeof l, "sock_recv %s", fds[i].name);
		res(l, r_sock_recv(fd, P(&iov), 1, 0, P(&n), P(&flags)));
		snprintf(l, sizeof l, "sock_send %s", fds[i].name);
		res(l, r_sock_send(fd, P(&ci), 1, 0, P(&n)));
		snprintf(l, sizeof l, "sock_shutdown %s", fds[i].name);
		res(l, r_sock_shutdown(fd, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR));
	}
	r_fd_close(f);
}

// ------------------------------------------------------------------ main --

int main(void) {
	root = find_sandbox();
	say("wasi C test: preopen /sandbox is fd %u", root);
	args_env();
	prestat();
	clocks();
	misc();
	files();
	renumber();
	stdio();
	poll();
	sockets();
	escapes();
	say("== closing the preopen");
	res("fd_close 3 (the preopen)", r_fd_close(root));
	res("fd_prestat_get 3 after close", r_fd_prestat_get(root, P(&(__wasi_prestat_t){0})));
	res("path_open hello.txt after closing the preopen", try_open(FOLLOW, "hello.txt", 0, RIGHTS_RO, 0));
	say("== done, proc_exit(3)");
	r_proc_exit(3);
	say("not reached");
}
