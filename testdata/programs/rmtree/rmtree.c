// rmtree.c: deletes a directory of 300 files the way Rust's remove_dir_all does on
// WASI: read a few entries with fd_readdir, unlink them, go on from the last cookie,
// until a read returns nothing; then remove the directory. Under Wasmtime 39, whose
// cookies count entries of a fresh listing, this skips half the files and the final
// rmdir fails with NOTEMPTY; wasmc's runtime resumes where the last read stopped.
// Prints what it removed and exits 0 when the directory is gone, 1 otherwise.
// Runs with a directory preopened as /work.
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

int main(void) {
	__wasi_fd_t root = 3, dir;
	if (__wasi_path_create_directory(root, "d") != 0)
		return printf("mkdir d failed\n"), 1;
	for (int i = 0; i < 300; i++) {
		char name[32];
		__wasi_fd_t f;
		snprintf(name, sizeof name, "d/file-%03d", i);
		if (__wasi_path_open(root, 0, name, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &f) != 0)
			return printf("creating %s failed\n", name), 1;
		(void)__wasi_fd_close(f);
	}
	if (__wasi_path_open(root, 0, "d", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &dir) != 0)
		return printf("opening d failed\n"), 1;
	__wasi_dircookie_t cookie = 0;
	int removed = 0, calls = 0; // a 256-byte buffer holds a few entries: many calls
	for (;;) {
		static uint8_t buf[256];
		__wasi_size_t used;
		if (__wasi_fd_readdir(dir, buf, sizeof buf, cookie, &used) != 0)
			return printf("fd_readdir failed\n"), 1;
		calls++;
		if (used == 0)
			break;
		for (size_t at = 0; at + sizeof(__wasi_dirent_t) <= used;) {
			__wasi_dirent_t d;
			memcpy(&d, buf + at, sizeof d);
			at += sizeof d;
			if (at + d.d_namlen > used)
				break; // cut short: read again from its cookie
			char name[300] = "d/";
			memcpy(name + 2, buf + at, d.d_namlen);
			name[2 + d.d_namlen] = 0;
			at += d.d_namlen;
			cookie = d.d_next;
			if (strcmp(name, "d/.") == 0 || strcmp(name, "d/..") == 0)
				continue;
			if (__wasi_path_unlink_file(root, name) != 0)
				return printf("unlinking %s failed\n", name), 1;
			removed++;
		}
	}
	(void)__wasi_fd_close(dir);
	__wasi_errno_t e = __wasi_path_remove_directory(root, "d");
	printf("removed %d files in %s fd_readdir calls; rmdir d: errno %d\n", removed, calls > 30 ? "over 30" : "30 or fewer", e);
	return e == 0 ? 0 : 1;
}
