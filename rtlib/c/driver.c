// driver.c: how the native .wast driver reports each command (DESIGN.md decision 11). The
// driver's generated code calls these after every command; they write one line per
// command to stdout, which wasmc wast reads back and compares:
//
//	ok[ <hex>]...   the command returned these results, each the 64-bit pattern of one
//	                value in lowercase hex without 0x or leading zeros
//	trap <code>     the command trapped with this ir.TrapCode, in decimal
//
// Each line goes out in one write (unless it is too long for the buffer), so every line
// reported before a crash of the executable is complete on stdout.
#include "wasmc.h"

// LINE bounds the buffer of the pending line: 4096 bytes hold 240 results, where the spec
// suite's largest command (in func.wast) returns 16. A longer line goes out in several
// writes.
#define LINE 4096

static char buf[LINE]; // zero-initialized, so it costs rt.wasm no data bytes
static uint32_t used;  // bytes of the pending line in buf
static int begun;      // the pending line has its "ok", in buf or already written
static int spilled;    // part of the pending line has been written

// flush writes buf[0:used] to stdout, looping over short writes, and empties it.
static void flush(void) {
	uint32_t done = 0;
	while (done < used) {
		int64_t r = wasmc_syscall(WASMC_SYS_write, 1, (int64_t)wasmc_rt_host(buf + done),
					  used - done, 0, 0, 0);
		if (r <= 0)
			break; // stdout is gone; the driver has no better place to report
		done += (uint32_t)r;
	}
	used = 0;
}

// room makes space for n more bytes plus the final newline, writing out the start of the
// line if the buffer is full.
static void room(uint32_t n) {
	if (used + n + 1 > LINE) {
		flush();
		spilled = 1;
	}
}

static void begin(void) {
	if (!begun) {
		buf[0] = 'o';
		buf[1] = 'k';
		used = 2;
		begun = 1;
	}
}

static void end(void) {
	buf[used++] = '\n';
	flush();
	begun = spilled = 0;
}

// wasmc_driver_value appends one result of the current command, given as a 64-bit
// pattern, to the pending line.
WASMC_EXPORT("wasmc_driver_value") void wasmc_driver_value(int64_t bits) {
	begin();
	room(1 + 16);
	buf[used++] = ' ';
	used += (uint32_t)wasmc_utoa(buf + used, (uint64_t)bits, 16);
}

// wasmc_driver_done ends the current command as returned: it writes "ok", the pending
// results and a newline.
WASMC_EXPORT("wasmc_driver_done") void wasmc_driver_done(void) {
	begin();
	end();
}

// wasmc_driver_trap ends the current command as trapped with code: it drops the pending
// results and writes "trap <code>". If a too-long line was already partly written, the trap
// ends that line, so that later commands' lines still line up with their commands.
WASMC_EXPORT("wasmc_driver_trap") void wasmc_driver_trap(int32_t code) {
	used = 0;
	if (spilled)
		buf[used++] = ' ';
	const char *t = "trap ";
	while (*t)
		buf[used++] = *t++;
	used += (uint32_t)wasmc_utoa(buf + used, (uint32_t)code, 10);
	end();
}

// wasmc_driver_exit ends the driver's process with status 0 once every command has been
// reported; failures are for wasmc wast to count from the lines, not for the status.
WASMC_EXPORT("wasmc_driver_exit") void wasmc_driver_exit(void) {
	wasmc_syscall(WASMC_SYS_exit_group, 0, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}
