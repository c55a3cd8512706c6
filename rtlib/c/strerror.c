// strerror.c: the words of a Linux errno, for the lines a program prints when it cannot
// start or a WASI call goes wrong (a --dir that does not open, a --tcplisten address that
// does not bind): people read "No such file or directory", not "errno 2". The texts are
// glibc's; the numbers are Linux's generic ones, the same on amd64 and arm64.
#include "wasmc.h"

static const struct {
	uint16_t num;
	const char *text;
} texts[] = {
	{1, "Operation not permitted"},
	{2, "No such file or directory"},
	{4, "Interrupted system call"},
	{5, "Input/output error"},
	{9, "Bad file descriptor"},
	{12, "Cannot allocate memory"},
	{13, "Permission denied"},
	{14, "Bad address"},
	{16, "Device or resource busy"},
	{17, "File exists"},
	{19, "No such device"},
	{20, "Not a directory"},
	{21, "Is a directory"},
	{22, "Invalid argument"},
	{23, "Too many open files in system"},
	{24, "Too many open files"},
	{28, "No space left on device"},
	{29, "Illegal seek"},
	{30, "Read-only file system"},
	{36, "File name too long"},
	{38, "Function not implemented"},
	{40, "Too many levels of symbolic links"},
	{93, "Protocol not supported"},
	{97, "Address family not supported by protocol"},
	{98, "Address already in use"},
	{99, "Cannot assign requested address"},
	{101, "Network is unreachable"},
};

// wasmc_strerror writes the words of errno err (positive, as Linux returns it negated)
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
