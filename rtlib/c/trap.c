// trap.c: reporting a trap (DESIGN.md decision 8). The backend's trap stubs call the
// ISA's trap routine, which calls wasmc_trap with the trap code, the return address and
// the frame pointer; it prints the spec's message and, when the address is inside a known
// function, a backtrace of wasm functions with offsets, innermost first, then exits with
// status 134 as Wasmtime's CLI does.
#include "wasmc.h"

// messages are the spec's texts, indexed by trap code in ir/trap.go's order; rtlib's tests
// run wasmc_trap for every ir.TrapCode and compare with ir.TrapCode.Message.
static const char *const messages[] = {
	"no trap",
	"unreachable",
	"integer divide by zero",
	"integer overflow",
	"invalid conversion to integer",
	"out of bounds memory access",
	"out of bounds table access",
	"indirect call type mismatch",
	"uninitialized element",
	"undefined element",
	"call stack exhausted",
	"null reference",
	"memory larger than --max-memory allows",
	"tables larger than --max-table-elements allows",
};

// out buffers the report so that it usually takes one write; a long name flushes early.
struct out {
	uint32_t n;
	char buf[256];
};

static void flush(struct out *o) {
	uint32_t done = 0;
	while (done < o->n) {
		int64_t r = wasmc_syscall(WASMC_SYS_write, 2, (int64_t)wasmc_rt_host(o->buf + done),
					  o->n - done, 0, 0, 0);
		if (r <= 0)
			break; // nowhere to report to; exit anyway
		done += (uint32_t)r;
	}
	o->n = 0;
}

static void putc_(struct out *o, char c) {
	if (o->n == sizeof o->buf)
		flush(o);
	o->buf[o->n++] = c;
}

static void puts_(struct out *o, const char *s) {
	while (*s)
		putc_(o, *s++);
}

static void putu(struct out *o, uint64_t v, unsigned base) {
	char tmp[20];
	size_t n = wasmc_utoa(tmp, v, base);
	for (size_t i = 0; i < n; i++)
		putc_(o, tmp[i]);
}

// locate finds the functab entry whose code holds pc: the last one starting at or before
// it, provided pc is below the end of the table's last function. It returns the entry's
// host address, or 0.
static uint64_t locate(uint64_t pc) {
	uint64_t tab = wasmc_functab();
	if (tab == 0)
		return 0;
	uint64_t count = wasmc_host_load64(tab), end = wasmc_host_load64(tab + 8);
	uint64_t entries = tab + WASMC_FUNCTAB_HEADER;
	if (count == 0 || pc >= end || pc < wasmc_host_load64(entries))
		return 0;
	uint64_t lo = 0, hi = count; // entries[lo].start <= pc < entries[hi].start (or end)
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (wasmc_host_load64(entries + mid * WASMC_FUNCTAB_ENTRY) <= pc)
			lo = mid;
		else
			hi = mid;
	}
	return entries + lo * WASMC_FUNCTAB_ENTRY;
}

// frame prints one line of the backtrace: the function of functab entry e and the offset
// of ret, a return address in it (or the trap site's), from its start.
static void frame(struct out *o, uint64_t e, uint64_t ret) {
	uint64_t start = wasmc_host_load64(e), name = wasmc_host_load64(e + 8);
	uint64_t len = wasmc_host_load64(e + 16);
	puts_(o, "\n  at $");
	for (uint64_t i = 0; i < len; i++)
		putc_(o, (char)wasmc_host_load8(name + i));
	puts_(o, "+0x");
	putu(o, ret - start, 16);
}

// The backtrace shows the innermost MAX_SHOWN frames and counts the rest, up to
// MAX_WALK: a runaway recursion is a few lines, not a million.
#define MAX_SHOWN 32
#define MAX_WALK (1u << 20)

// wasmc_trap reports a trap and exits 134. pc is the trap site's return address; fp is
// the frame pointer there (rbp on amd64, x29 on arm64), which points at the trapping
// function's frame record {the caller's frame pointer, the return address into the
// caller}: every function compiled by wasmc keeps one (amd64/finish.go, arm64/finish.go),
// so following the records gives the callers, innermost first. The walk stops at the
// first return address outside the wasm code (process entry's), at a frame pointer that
// does not climb the stack, or at fp 0 (nothing to walk). On arm64 the stack check comes
// before the frame record is stored, so a stack_exhausted trap there omits the caller of
// the function that could not get a frame.
WASMC_EXPORT("wasmc_trap") void wasmc_trap(int32_t code, int64_t pc, int64_t fp) {
	struct out o;
	o.n = 0;
	puts_(&o, "wasm trap: ");
	if (code >= 0 && (uint32_t)code < sizeof messages / sizeof messages[0]) {
		puts_(&o, messages[code]);
	} else { // as ir.TrapCode.Message prints an unknown code
		puts_(&o, "trap(");
		putu(&o, (uint32_t)code, 10);
		putc_(&o, ')');
	}
	// pc is a return address: the call that trapped ends there, and a trap stub's call may
	// be the last instruction of its function, so the function is the one holding pc-1.
	// So is every caller's.
	uint64_t e = locate((uint64_t)pc - 1);
	if (e != 0) {
		frame(&o, e, (uint64_t)pc);
		uint32_t shown = 1, more = 0;
		for (uint64_t f = (uint64_t)fp; f != 0 && f % 8 == 0 && shown + more < MAX_WALK;) {
			uint64_t ret = wasmc_host_load64(f + 8);
			uint64_t ce = locate(ret - 1);
			if (ce == 0)
				break;
			if (shown < MAX_SHOWN) {
				frame(&o, ce, ret);
				shown++;
			} else {
				more++;
			}
			uint64_t next = wasmc_host_load64(f);
			if (next <= f)
				break;
			f = next;
		}
		if (more > 0) {
			puts_(&o, "\n  ... ");
			putu(&o, more, 10);
			puts_(&o, " more frames");
		}
	}
	putc_(&o, '\n');
	flush(&o);
	wasmc_syscall(WASMC_SYS_exit_group, 134, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}
