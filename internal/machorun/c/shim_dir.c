// The shim's directory streams: Darwin's DIR is opaque, so the shim's is glibc's DIR with
// the Darwin struct dirent that readdir returns (Go's Dirent: 64-bit d_ino and d_seekoff,
// d_namlen, a 1024-byte d_name), valid until the next readdir on the stream, as on Darwin.

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shim_impl.h"

struct shim_dir {
	DIR *d;
	struct darwin_Dirent ent;
};

// The d_type values.
static const struct flag dirent_types[] = {
    {DARWIN_DT_FIFO, DT_FIFO}, {DARWIN_DT_CHR, DT_CHR}, {DARWIN_DT_DIR, DT_DIR},   {DARWIN_DT_BLK, DT_BLK},
    {DARWIN_DT_REG, DT_REG},   {DARWIN_DT_LNK, DT_LNK}, {DARWIN_DT_SOCK, DT_SOCK},
};

static struct shim_dir *shim_fdopendir(int fd) {
	struct shim_dir *d = malloc(sizeof *d);
	if (!d)
		return (struct shim_dir *)fail_with(DARWIN_ENOMEM, 0);
	if (!(d->d = fdopendir(fd))) {
		free(d);
		return (struct shim_dir *)fail(0);
	}
	return d;
}

static struct darwin_Dirent *shim_readdir(struct shim_dir *d) {
	errno = 0;
	struct dirent *e = readdir(d->d);
	if (!e)
		return errno ? (struct darwin_Dirent *)fail(0) : 0;
	size_t n = strlen(e->d_name);
	if (n >= sizeof d->ent.Name)
		return (struct darwin_Dirent *)fail_with(DARWIN_ENAMETOOLONG, 0);
	struct darwin_Dirent *de = &d->ent;
	memset(de, 0, sizeof *de);
	de->Ino = e->d_ino;
	de->Seekoff = (uint64_t)e->d_off;
	de->Namlen = (uint16_t)n;
	// d_reclen: the record's length as Darwin's getdirentries lays it out, the name and its
	// terminator rounded up to 4 bytes.
	de->Reclen = (uint16_t)((offsetof(struct darwin_Dirent, Name) + n + 1 + 3) & ~(size_t)3);
	de->Type = DARWIN_DT_UNKNOWN;
	for (size_t i = 0; i < N(dirent_types); i++)
		if (e->d_type == dirent_types[i].linux_)
			de->Type = (uint8_t)dirent_types[i].darwin;
	memcpy(de->Name, e->d_name, n + 1);
	return de;
}

static long shim_telldir(struct shim_dir *d) {
	long r = telldir(d->d);
	return r < 0 ? fail(-1) : r;
}

static void shim_seekdir(struct shim_dir *d, long at) { seekdir(d->d, at); }

static void shim_rewinddir(struct shim_dir *d) { rewinddir(d->d); }

static int shim_closedir(struct shim_dir *d) {
	int r = closedir(d->d);
	free(d);
	return r < 0 ? (int)fail(-1) : 0;
}

const struct shim_symbol shim_dir_symbols[] = {
    {INODE64("_fdopendir"), (void *)shim_fdopendir},
    {INODE64("_readdir"), (void *)shim_readdir},
    {"_telldir", (void *)shim_telldir},
    {"_seekdir", (void *)shim_seekdir},
    {"_rewinddir", (void *)shim_rewinddir},
    {"_closedir", (void *)shim_closedir},
#if defined(__x86_64__)
    // <dirent.h> on x86_64 names these three with $INODE64 too (__DARWIN_ALIAS_I); both
    // spellings take the same DIR here, which is always the shim's.
    {"_telldir$INODE64", (void *)shim_telldir},
    {"_seekdir$INODE64", (void *)shim_seekdir},
    {"_rewinddir$INODE64", (void *)shim_rewinddir},
#endif
    {0, 0},
};
