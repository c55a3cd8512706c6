// The loader: runs a darwin/amd64 or darwin/arm64 Mach-O executable on Linux as dyld would
// run it on macOS (DESIGN.md decision 15), for the tests only. Built for x86_64 it runs
// x86_64 files; built for aarch64 (and run under qemu on other hosts), arm64 files. It
// keeps nothing in x18, which Apple's arm64 ABI reserves: Darwin code never writes it, and
// Linux code treats it as a scratch register, so nothing is lost either way.
//
//   loader EXE [ARG...]
//
// It maps every segment but __PAGEZERO at its address plus a slide, applies the rebase and
// bind opcodes of LC_DYLD_INFO_ONLY (binding libSystem's symbols to the shim in shim.c),
// gives each segment its protection, and calls the entry point of LC_MAIN as
// main(argc, argv, envp, apple) on this thread's stack, then exit()s with what main returns,
// as libdyld's start does. argv[0] is EXE. A file the loader cannot run makes it print one
// line "machorun: ..." and exit 125.
//
// Numbers are Apple's <mach-o/loader.h> and <mach/vm_prot.h>. Unlike dyld, it checks no
// signature and loads no library: libSystem is the shim, and only library ordinal 1, the
// first LC_LOAD_DYLIB, which must be libSystem, may be bound to.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"

#define MH_MAGIC_64 0xfeedfacfu
#if defined(__x86_64__)
#define CPU_TYPE 0x01000007u // CPU_TYPE_X86_64
#define CPU_NAME "x86_64"
#elif defined(__aarch64__)
#define CPU_TYPE 0x0100000cu // CPU_TYPE_ARM64
#define CPU_NAME "arm64"
#else
#error "the loader runs x86_64 or arm64 Mach-O files, on the same architecture"
#endif
#define MH_EXECUTE 0x2u
#define LC_SEGMENT_64 0x19u
#define LC_LOAD_DYLIB 0xcu
#define LC_DYLD_INFO_ONLY 0x80000022u
#define LC_DYLD_CHAINED_FIXUPS 0x80000034u
#define LC_MAIN 0x80000028u
#define SG_READ_ONLY 0x10u
#define VM_PROT_READ 0x1u
#define VM_PROT_WRITE 0x2u
#define VM_PROT_EXECUTE 0x4u

#define REBASE_TYPE_POINTER 1
#define REBASE_OPCODE_DONE 0x00
#define REBASE_OPCODE_SET_TYPE_IMM 0x10
#define REBASE_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB 0x20
#define REBASE_OPCODE_ADD_ADDR_ULEB 0x30
#define REBASE_OPCODE_ADD_ADDR_IMM_SCALED 0x40
#define REBASE_OPCODE_DO_REBASE_IMM_TIMES 0x50
#define REBASE_OPCODE_DO_REBASE_ULEB_TIMES 0x60
#define REBASE_OPCODE_DO_REBASE_ADD_ADDR_ULEB 0x70
#define REBASE_OPCODE_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB 0x80

#define BIND_TYPE_POINTER 1
#define BIND_OPCODE_DONE 0x00
#define BIND_OPCODE_SET_DYLIB_ORDINAL_IMM 0x10
#define BIND_OPCODE_SET_DYLIB_ORDINAL_ULEB 0x20
#define BIND_OPCODE_SET_DYLIB_SPECIAL_IMM 0x30
#define BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM 0x40
#define BIND_OPCODE_SET_TYPE_IMM 0x50
#define BIND_OPCODE_SET_ADDEND_SLEB 0x60
#define BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB 0x70
#define BIND_OPCODE_ADD_ADDR_ULEB 0x80
#define BIND_OPCODE_DO_BIND 0x90
#define BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB 0xa0
#define BIND_OPCODE_DO_BIND_ADD_ADDR_IMM_SCALED 0xb0
#define BIND_OPCODE_DO_BIND_ULEB_TIMES_SKIPPING_ULEB 0xc0

#define LIBSYSTEM "/usr/lib/libSystem.B.dylib"
#define MAXSEGS 16

struct mach_header_64 {
	uint32_t magic, cputype, cpusubtype, filetype, ncmds, sizeofcmds, flags, reserved;
};
struct load_command {
	uint32_t cmd, cmdsize;
};
struct segment_command_64 {
	uint32_t cmd, cmdsize;
	char segname[16];
	uint64_t vmaddr, vmsize, fileoff, filesize;
	uint32_t maxprot, initprot, nsects, flags;
};
struct dyld_info_command {
	uint32_t cmd, cmdsize;
	uint32_t rebase_off, rebase_size, bind_off, bind_size, weak_bind_off, weak_bind_size;
	uint32_t lazy_bind_off, lazy_bind_size, export_off, export_size;
};
struct entry_point_command {
	uint32_t cmd, cmdsize;
	uint64_t entryoff, stacksize;
};
struct dylib_command {
	uint32_t cmd, cmdsize, name_off, timestamp, current_version, compatibility_version;
};

static const char *exe_path;

static _Noreturn void fail(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "machorun: %s: ", exe_path);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(125);
}

// The file, read whole.
static uint8_t *file;
static uint64_t file_size;

static struct segment_command_64 segs[MAXSEGS];
static uint32_t nsegs;
static int64_t slide;

// in_file checks that [off, off+n) lies in the file.
static void in_file(uint64_t off, uint64_t n, const char *what) {
	if (off > file_size || n > file_size - off)
		fail("%s at %#llx+%#llx lies outside the file (%#llx bytes)", what,
		     (unsigned long long)off, (unsigned long long)n, (unsigned long long)file_size);
}

static void read_file(void) {
	int fd = open(exe_path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		fail("%s", strerror(errno));
	file_size = (uint64_t)st.st_size;
	file = malloc(file_size + 1);
	if (!file)
		fail("out of memory");
	for (uint64_t n = 0; n < file_size;) {
		ssize_t r = read(fd, file + n, file_size - n);
		if (r <= 0)
			fail("read: %s", r < 0 ? strerror(errno) : "file shrank");
		n += (uint64_t)r;
	}
	close(fd);
}

// A stream of opcodes with ULEB128 and SLEB128 operands, bounded by end.
struct ops {
	const uint8_t *p, *end;
	const char *what;
};

static uint64_t uleb(struct ops *o) {
	uint64_t v = 0;
	for (int shift = 0;; shift += 7) {
		if (o->p >= o->end || shift > 63)
			fail("%s: bad ULEB128", o->what);
		uint8_t b = *o->p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
}

static int64_t sleb(struct ops *o) {
	int64_t v = 0;
	int shift = 0;
	uint8_t b;
	do {
		if (o->p >= o->end || shift > 63)
			fail("%s: bad SLEB128", o->what);
		b = *o->p++;
		v |= (int64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		v |= -((int64_t)1 << shift);
	return v;
}

// fixup_slot returns where, in memory, the pointer at offset off of segment seg lies, after
// checking that the 8 bytes are inside a segment that is writable while fixed up and never
// executable (dyld's checks in validRebaseInfo and validBindInfo).
static uint64_t *fixup_slot(const char *what, uint32_t seg, uint64_t off) {
	if (seg >= nsegs)
		fail("%s: segment %u of %u", what, seg, nsegs);
	struct segment_command_64 *s = &segs[seg];
	if (off > s->vmsize || s->vmsize - off < 8 || off % 8 != 0)
		fail("%s: offset %#llx outside %.16s or unaligned", what, (unsigned long long)off, s->segname);
	if (!(s->initprot & VM_PROT_WRITE) || (s->initprot & VM_PROT_EXECUTE))
		fail("%s: fix-up in %.16s, which is not writable or is executable", what, s->segname);
	return (uint64_t *)(uintptr_t)(s->vmaddr + slide + off);
}

static void rebase(const uint8_t *p, uint32_t size) {
	struct ops o = {p, p + size, "rebase opcodes"};
	uint32_t seg = UINT32_MAX;
	uint64_t off = 0, n, skip;
	int type = 0;
	while (o.p < o.end) {
		uint8_t op = *o.p & 0xf0, imm = *o.p & 0x0f;
		o.p++;
		switch (op) {
		case REBASE_OPCODE_DONE:
			return;
		case REBASE_OPCODE_SET_TYPE_IMM:
			type = imm;
			break;
		case REBASE_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB:
			seg = imm;
			off = uleb(&o);
			break;
		case REBASE_OPCODE_ADD_ADDR_ULEB:
			off += uleb(&o);
			break;
		case REBASE_OPCODE_ADD_ADDR_IMM_SCALED:
			off += (uint64_t)imm * 8;
			break;
		case REBASE_OPCODE_DO_REBASE_IMM_TIMES:
		case REBASE_OPCODE_DO_REBASE_ULEB_TIMES:
		case REBASE_OPCODE_DO_REBASE_ADD_ADDR_ULEB:
		case REBASE_OPCODE_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB:
			n = op == REBASE_OPCODE_DO_REBASE_IMM_TIMES ? imm
			    : op == REBASE_OPCODE_DO_REBASE_ADD_ADDR_ULEB ? 1 : uleb(&o);
			skip = op == REBASE_OPCODE_DO_REBASE_ADD_ADDR_ULEB ? uleb(&o)
			       : op == REBASE_OPCODE_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB ? uleb(&o) : 0;
			if (type != REBASE_TYPE_POINTER)
				fail("rebase type %d: only REBASE_TYPE_POINTER is supported", type);
			for (uint64_t i = 0; i < n; i++) {
				*fixup_slot(o.what, seg, off) += (uint64_t)slide;
				off += 8 + skip;
			}
			break;
		default:
			fail("rebase opcode %#x unknown", op);
		}
	}
	fail("rebase opcodes: no REBASE_OPCODE_DONE");
}

// bind_to stores the address of the shim function for symbol name, plus addend.
static void bind_to(const char *what, uint32_t seg, uint64_t off, int64_t ordinal, const char *name,
                    int type, int64_t addend) {
	if (!name)
		fail("%s: bind with no symbol", what);
	if (type != BIND_TYPE_POINTER)
		fail("%s: bind type %d of %s: only BIND_TYPE_POINTER is supported", what, type, name);
	if (ordinal != 1)
		fail("%s: %s bound to library ordinal %lld: only 1, libSystem, is loaded", what, name, (long long)ordinal);
	void *f = shim_lookup(name);
	if (!f) {
		// darwin/amd64's libSystem has a plain variant with the old 32-bit-inode structs
		// beside NAME$INODE64; the shim has only the latter, which a program must bind.
		char inode64[256];
		if (snprintf(inode64, sizeof inode64, "%s$INODE64", name) < (int)sizeof inode64 && shim_lookup(inode64))
			fail("symbol %s (32-bit inodes) not provided by the loader's shim: bind %s", name, inode64);
		fail("symbol %s not found in libSystem (the loader's shim does not provide it)", name);
	}
	*fixup_slot(what, seg, off) = (uint64_t)(uintptr_t)f + (uint64_t)addend;
}

static void bind(const uint8_t *p, uint32_t size) {
	struct ops o = {p, p + size, "bind opcodes"};
	uint32_t seg = UINT32_MAX;
	uint64_t off = 0, n, skip;
	int64_t ordinal = 0, addend = 0;
	int type = 0;
	const char *name = 0;
	while (o.p < o.end) {
		uint8_t op = *o.p & 0xf0, imm = *o.p & 0x0f;
		o.p++;
		switch (op) {
		case BIND_OPCODE_DONE:
			return;
		case BIND_OPCODE_SET_DYLIB_ORDINAL_IMM:
			ordinal = imm;
			break;
		case BIND_OPCODE_SET_DYLIB_ORDINAL_ULEB:
			ordinal = (int64_t)uleb(&o);
			break;
		case BIND_OPCODE_SET_DYLIB_SPECIAL_IMM:
			fail("bind opcodes: special library ordinal %d unsupported", imm ? (int8_t)(0xf0 | imm) : 0);
		case BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM:
			name = (const char *)o.p;
			while (o.p < o.end && *o.p)
				o.p++;
			if (o.p == o.end)
				fail("bind opcodes: unterminated symbol name");
			o.p++;
			if (imm)
				fail("bind opcodes: symbol %s has flags %#x (weak imports unsupported)", name, imm);
			break;
		case BIND_OPCODE_SET_TYPE_IMM:
			type = imm;
			break;
		case BIND_OPCODE_SET_ADDEND_SLEB:
			addend = sleb(&o);
			break;
		case BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB:
			seg = imm;
			off = uleb(&o);
			break;
		case BIND_OPCODE_ADD_ADDR_ULEB:
			off += uleb(&o);
			break;
		case BIND_OPCODE_DO_BIND:
			bind_to(o.what, seg, off, ordinal, name, type, addend);
			off += 8;
			break;
		case BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB:
			bind_to(o.what, seg, off, ordinal, name, type, addend);
			off += 8 + uleb(&o);
			break;
		case BIND_OPCODE_DO_BIND_ADD_ADDR_IMM_SCALED:
			bind_to(o.what, seg, off, ordinal, name, type, addend);
			off += 8 + (uint64_t)imm * 8;
			break;
		case BIND_OPCODE_DO_BIND_ULEB_TIMES_SKIPPING_ULEB:
			n = uleb(&o);
			skip = uleb(&o);
			for (uint64_t i = 0; i < n; i++) {
				bind_to(o.what, seg, off, ordinal, name, type, addend);
				off += 8 + skip;
			}
			break;
		default:
			fail("bind opcode %#x unknown", op);
		}
	}
	fail("bind opcodes: no BIND_OPCODE_DONE");
}

// prot is the Linux protection for the Mach-O's vm_prot_t.
static int prot(uint32_t vm) {
	return (vm & VM_PROT_READ ? PROT_READ : 0) | (vm & VM_PROT_WRITE ? PROT_WRITE : 0) |
	       (vm & VM_PROT_EXECUTE ? PROT_EXEC : 0);
}

int main(int argc, char **argv, char **envp) {
	if (argc < 2) {
		fprintf(stderr, "usage: loader EXE [ARG...]\n");
		return 2;
	}
	exe_path = argv[1];
	read_file();

	struct mach_header_64 h;
	in_file(0, sizeof h, "mach header");
	memcpy(&h, file, sizeof h);
	if (h.magic != MH_MAGIC_64 || h.cputype != CPU_TYPE || h.filetype != MH_EXECUTE)
		fail("not an " CPU_NAME " Mach-O executable (magic %#x, cputype %#x, filetype %#x)", h.magic, h.cputype,
		     h.filetype);
	in_file(sizeof h, h.sizeofcmds, "load commands");

	struct dyld_info_command info = {0};
	struct entry_point_command entry = {0};
	uint32_t ndylibs = 0;
	const uint8_t *lc = file + sizeof h, *lc_end = lc + h.sizeofcmds;
	for (uint32_t i = 0; i < h.ncmds; i++) {
		struct load_command c;
		if ((uint64_t)(lc_end - lc) < sizeof c)
			fail("load command %u runs past sizeofcmds", i);
		memcpy(&c, lc, sizeof c);
		if (c.cmdsize < sizeof c || c.cmdsize % 8 != 0 || c.cmdsize > (uint64_t)(lc_end - lc))
			fail("load command %u (%#x) has size %u", i, c.cmd, c.cmdsize);
		switch (c.cmd) {
		case LC_SEGMENT_64:
			if (c.cmdsize < sizeof segs[0] || nsegs == MAXSEGS)
				fail("segment command %u malformed or one too many", i);
			memcpy(&segs[nsegs++], lc, sizeof segs[0]);
			break;
		case LC_DYLD_INFO_ONLY:
			if (c.cmdsize < sizeof info)
				fail("LC_DYLD_INFO_ONLY too short");
			memcpy(&info, lc, sizeof info);
			break;
		case LC_DYLD_CHAINED_FIXUPS:
			fail("LC_DYLD_CHAINED_FIXUPS is not supported, only LC_DYLD_INFO_ONLY");
		case LC_MAIN:
			if (c.cmdsize < sizeof entry)
				fail("LC_MAIN too short");
			memcpy(&entry, lc, sizeof entry);
			break;
		case LC_LOAD_DYLIB: {
			struct dylib_command d;
			if (c.cmdsize < sizeof d)
				fail("LC_LOAD_DYLIB too short");
			memcpy(&d, lc, sizeof d);
			const char *name = (const char *)lc + d.name_off;
			size_t room = d.name_off < c.cmdsize ? c.cmdsize - d.name_off : 0;
			if (++ndylibs == 1 && (strnlen(name, room) == room || strcmp(name, LIBSYSTEM) != 0))
				fail("the first LC_LOAD_DYLIB is not %s", LIBSYSTEM);
			break;
		}
		}
		lc += c.cmdsize;
	}
	if (entry.cmd == 0)
		fail("no LC_MAIN");
	if (info.weak_bind_size || info.lazy_bind_size)
		fail("weak and lazy binds are not supported");

	// Reserve the span of every segment but __PAGEZERO (which maps nothing at address 0 and
	// only fences it off) wherever the kernel likes: that is the ASLR slide, never 0 here,
	// so a missing rebase shows.
	uint64_t lo = UINT64_MAX, hi = 0;
	struct segment_command_64 *text = 0;
	for (uint32_t i = 0; i < nsegs; i++) {
		struct segment_command_64 *s = &segs[i];
		if (s->initprot == 0 && s->filesize == 0 && s->vmaddr == 0)
			continue; // __PAGEZERO
		if (s->vmaddr % 4096 || s->fileoff % 4096 || s->filesize > s->vmsize || s->vmaddr + s->vmsize < s->vmaddr)
			fail("segment %.16s is unaligned or larger in the file than in memory", s->segname);
		if ((s->initprot & VM_PROT_WRITE) && (s->initprot & VM_PROT_EXECUTE))
			fail("segment %.16s is writable and executable", s->segname);
		in_file(s->fileoff, s->filesize, "segment");
		if (s->vmaddr < lo)
			lo = s->vmaddr;
		if (s->vmaddr + s->vmsize > hi)
			hi = s->vmaddr + s->vmsize;
		if (!strncmp(s->segname, "__TEXT", 16)) {
			if (s->fileoff != 0)
				fail("__TEXT does not map the headers");
			text = s;
		}
	}
	if (!text)
		fail("no __TEXT segment");
	if (entry.entryoff >= text->filesize || !(text->initprot & VM_PROT_EXECUTE))
		fail("LC_MAIN's entry %#llx is not in __TEXT's code", (unsigned long long)entry.entryoff);
	void *base = mmap(0, hi - lo, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		fail("reserving %#llx bytes: %s", (unsigned long long)(hi - lo), strerror(errno));
	slide = (int64_t)((uint64_t)(uintptr_t)base - lo);

	// Each segment writable at first, filled from the file: copied rather than mapped, so
	// that the loader does not depend on the file's pages matching the host's.
	for (uint32_t i = 0; i < nsegs; i++) {
		struct segment_command_64 *s = &segs[i];
		if (s->vmaddr < lo || s->vmsize == 0)
			continue;
		void *at = (void *)(uintptr_t)(s->vmaddr + slide);
		if (mmap(at, s->vmsize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			fail("mapping %.16s: %s", s->segname, strerror(errno));
		memcpy(at, file + s->fileoff, s->filesize);
	}

	in_file(info.rebase_off, info.rebase_size, "rebase opcodes");
	in_file(info.bind_off, info.bind_size, "bind opcodes");
	if (info.rebase_size)
		rebase(file + info.rebase_off, info.rebase_size);
	if (info.bind_size)
		bind(file + info.bind_off, info.bind_size);

	// Then the final protections: SG_READ_ONLY segments become read-only once fixed up, as
	// dyld makes them.
	for (uint32_t i = 0; i < nsegs; i++) {
		struct segment_command_64 *s = &segs[i];
		if (s->vmaddr < lo || s->vmsize == 0)
			continue;
		uint32_t p = s->initprot;
		if (s->flags & SG_READ_ONLY)
			p &= ~VM_PROT_WRITE;
		if (mprotect((void *)(uintptr_t)(s->vmaddr + slide), s->vmsize, prot(p)) != 0)
			fail("protecting %.16s: %s", s->segname, strerror(errno));
	}

	// macOS gives main a fourth vector, "apple", of key=value strings for libSystem; the
	// first is the executable's path.
	char *apple_path = malloc(strlen(exe_path) + sizeof "executable_path=");
	if (!apple_path)
		fail("out of memory");
	strcpy(stpcpy(apple_path, "executable_path="), exe_path);
	char *apple[] = {apple_path, 0};
	int (*darwin_main)(int, char **, char **, char **) =
	    (int (*)(int, char **, char **, char **))(uintptr_t)(text->vmaddr + slide + entry.entryoff);
	free(file);
	exit(darwin_main(argc - 1, argv + 1, envp, apple));
}
