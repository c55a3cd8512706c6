// strerror.c: the words of an errno, for the lines a program prints when it cannot
// start or a WASI call goes wrong (a --dir that does not open, a --tcplisten address that
// does not bind): people read "No such file or directory", not "errno 2". The texts are
// glibc's; the numbers are Linux's generic ones, the same on amd64 and arm64, or in the
// darwin runtime Darwin's.
#include "wasmc.h"

// ERR(NAME, LINUX, DARWIN) is errno NAME's number on the runtime's OS: the darwin runtime
// prints Darwin's errno numbers' words (rtlib's TestDarwinConstants checks them).
#ifdef WASMC_DARWIN
#define ERR(name, linux, darwin) darwin
#else
#define ERR(name, linux, darwin) linux
#endif

static const struct {
	uint16_t num;
	const char *text;
} texts[] = {
	{ERR(EPERM, 1, 1), "Operation not permitted"},
	{ERR(ENOENT, 2, 2), "No such file or directory"},
	{ERR(EINTR, 4, 4), "Interrupted system call"},
	{ERR(EIO, 5, 5), "Input/output error"},
	{ERR(EBADF, 9, 9), "Bad file descriptor"},
	{ERR(ENOMEM, 12, 12), "Cannot allocate memory"},
	{ERR(EACCES, 13, 13), "Permission denied"},
	{ERR(EFAULT, 14, 14), "Bad address"},
	{ERR(EBUSY, 16, 16), "Device or resource busy"},
	{ERR(EEXIST, 17, 17), "File exists"},
	{ERR(ENODEV, 19, 19), "No such device"},
	{ERR(ENOTDIR, 20, 20), "Not a directory"},
	{ERR(EISDIR, 21, 21), "Is a directory"},
	{ERR(EINVAL, 22, 22), "Invalid argument"},
	{ERR(ENFILE, 23, 23), "Too many open files in system"},
	{ERR(EMFILE, 24, 24), "Too many open files"},
	{ERR(ENOSPC, 28, 28), "No space left on device"},
	{ERR(ESPIPE, 29, 29), "Illegal seek"},
	{ERR(EROFS, 30, 30), "Read-only file system"},
	{ERR(ENAMETOOLONG, 36, 63), "File name too long"},
	{ERR(ENOSYS, 38, 78), "Function not implemented"},
	{ERR(ELOOP, 40, 62), "Too many levels of symbolic links"},
	{ERR(EPROTONOSUPPORT, 93, 43), "Protocol not supported"},
	{ERR(EAFNOSUPPORT, 97, 47), "Address family not supported by protocol"},
	{ERR(EADDRINUSE, 98, 48), "Address already in use"},
	{ERR(EADDRNOTAVAIL, 99, 49), "Cannot assign requested address"},
	{ERR(ENETUNREACH, 101, 51), "Network is unreachable"},
};

// wasmc_strerror writes the words of errno err (positive, as sys() returns it negated)
// at dst, or "errno N" for a number it does not know, and returns the length (at most 48).
uint32_t wasmc_strerror(char *dst, uint64_t err) {
	for (uint32_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		if (texts[i].num == err) {
			uint32_t n = (uint32_t)strlen(texts[i].text);
			memcpy(dst, texts[i].text, n);
			return n;
		}
	}
	memcpy(dst, "errno ", 6);
	return 6 + (uint32_t)wasmc_utoa(dst + 6, err, 10);
}
