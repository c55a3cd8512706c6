// wasi_poll.c: poll_oneoff, over ppoll.
//
// Clock subscriptions become ppoll's timeout (the earliest one; an absolute time is made
// relative to its clock's now). Files are always ready (as Linux's poll also says), and
// then ppoll only looks, with a zero timeout, for streams and sockets that are ready
// too. As in Wasmtime: a subscription to a descriptor that cannot be polled that way (a
// bad one, a directory, reading stdout) fails the whole call with EBADF; a file's event
// says nbytes 1, with HANGUP at its end; the events that fired are written in the order
// of their subscriptions, and only they need room in the guest's memory.
//
// Every subscription is read once, into subs[], before any event is written: WASI does
// not forbid the events to overlap the subscriptions, and an event written over one not
// yet read would change it (its descriptor, its kind, how many ppoll slots the second
// half walks). So the number of subscriptions is bounded by subs[], as the descriptors
// ppoll watches are by pfds[]; beyond either the call fails with NOTSUP, having written
// nothing (Wasmtime takes any number). 8192 is every descriptor
// wasmc can open (MAX_FDS) watched for reading and for writing at once.
#include "wasi.h"

#define MAX_POLLFDS 4096
#define MAX_SUBS 8192
#define SUB_SIZE 48
#define EVENT_SIZE 32
#define POLLIN 1
#define POLLOUT 4
#define POLLHUP 0x10
#define POLLNVAL 0x20
#define L_SEEK_CUR 1

uint32_t clock_now(uint32_t id, uint64_t *now);
uint32_t statx_fd(int32_t host);

static struct {
	int32_t fd;
	int16_t events, revents;
} pfds[MAX_POLLFDS];
static uint8_t sub[SUB_SIZE], ev[EVENT_SIZE];

// What the second half needs of each subscription.
static struct {
	uint64_t userdata;
	uint64_t delay; // a clock's: nanoseconds from the start of the call
	uint32_t fd;    // a descriptor's guest number, checked open
	uint8_t tag;    // 0 clock, 1 fd_read, 2 fd_write
} subs[MAX_SUBS];

// read_sub copies subscription i into sub; a subscription outside memory ends the
// program, as in Wasmtime.
static void read_sub(uint32_t in, uint32_t i) {
	if ((uint64_t)in + (uint64_t)i * SUB_SIZE > 0xffffffffull)
		guest(in, (uint64_t)(i + 1) * SUB_SIZE, 8);
	gread(sub, in + i * SUB_SIZE, SUB_SIZE, 8);
}

// deadline returns a clock subscription's delay from start (nanoseconds of the
// monotonic clock), or an errno in *e.
static uint64_t deadline(uint64_t now[2], uint32_t *e) {
	uint32_t id = rd32(sub + 16);
	uint64_t t = rd64(sub + 24);
	// As Wasmtime: only the realtime and monotonic clocks can be waited on.
	if (id > 1) {
		*e = E_INVAL;
		return 0;
	}
	if (sub[40] & 1) // abstime
		return t > now[id] ? t - now[id] : 0;
	return t;
}

WASMC_EXPORT("poll_oneoff")
uint32_t poll_oneoff(uint32_t in, uint32_t out, uint32_t nsubs, uint32_t nevents) {
	if (nsubs == 0)
		return E_INVAL;
	if (nsubs > MAX_SUBS) {
		// Subscriptions that run out of memory end the program, as Wasmtime's reading
		// them would.
		guest(in, (uint64_t)nsubs * SUB_SIZE, 8);
		return E_NOTSUP;
	}
	uint64_t now[2];
	clock_now(0, &now[0]);
	clock_now(1, &now[1]);
	uint64_t start = now[1];
	// First pass: check every subscription, find the earliest clock and the descriptors
	// ppoll must watch.
	uint32_t npfd = 0;
	uint64_t timeout = ~0ull;
	int ready_now = 0;
	for (uint32_t i = 0; i < nsubs; i++) {
		read_sub(in, i);
		uint8_t tag = sub[8];
		subs[i].userdata = rd64(sub);
		subs[i].tag = tag;
		if (tag == 0) {
			uint32_t e = 0;
			uint64_t t = deadline(now, &e);
			if (e)
				return e;
			subs[i].delay = t;
			if (t < timeout)
				timeout = t;
			continue;
		}
		if (tag != 1 && tag != 2)
			return E_INVAL;
		subs[i].fd = rd32(sub + 16);
		struct wfd *d = fd_get(subs[i].fd);
		if (d == 0)
			return E_BADF;
		if (d->kind == K_FILE) {
			ready_now = 1;
			continue;
		}
		if (d->kind != (tag == 1 ? K_STDIN : K_STDOUT) && d->kind != K_SOCKET)
			return E_BADF;
		if (npfd == MAX_POLLFDS)
			return E_NOTSUP;
		pfds[npfd].fd = d->host;
		pfds[npfd].events = tag == 1 ? POLLIN : POLLOUT;
		pfds[npfd].revents = 0;
		npfd++;
	}
	if (ready_now)
		timeout = 0;
	static int64_t ts[2];
	ts[0] = (int64_t)(timeout / 1000000000ull);
	ts[1] = (int64_t)(timeout % 1000000000ull);
	int64_t r = sys(WASMC_SYS_ppoll, (int64_t)wasmc_rt_host(pfds), npfd,
			timeout == ~0ull ? 0 : (int64_t)wasmc_rt_host(ts), 0, 8, 0);
	if (r < 0)
		return errno_of(r);
	int fds_ready = ready_now || r > 0;
	uint64_t end;
	clock_now(1, &end);
	uint64_t elapsed = end - start;
	// Second pass, over the copies: an event for each subscription that fired, in order.
	// A clock fires when it is due; if nothing else was ready, ppoll waited for the
	// earliest, which fires whatever the clock says. The descriptors and their kinds are
	// the first pass's, so k walks exactly the npfd slots it filled.
	uint32_t nev = 0, k = 0;
	for (uint32_t i = 0; i < nsubs; i++) {
		uint8_t tag = subs[i].tag;
		uint16_t err = 0, flags = 0;
		if (tag == 0) {
			uint64_t t = subs[i].delay;
			if (t > elapsed && (fds_ready || t != timeout))
				continue;
		} else {
			struct wfd *d = &fds[subs[i].fd];
			if (d->kind == K_FILE) {
				if (tag == 1) {
					// HANGUP when the position is at or past the end.
					int64_t pos = sys(WASMC_SYS_lseek, d->host, 0, L_SEEK_CUR, 0, 0, 0);
					if (pos >= 0 && statx_fd(d->host) == 0 && (uint64_t)pos >= rd64(statx_buf + 40))
						flags = 1;
				}
			} else {
				int16_t re = pfds[k++].revents;
				if (re == 0)
					continue;
				err = re & POLLNVAL ? E_BADF : 0;
				flags = re & POLLHUP ? 1 : 0;
			}
		}
		memset(ev, 0, EVENT_SIZE);
		le64(ev, subs[i].userdata);
		le16(ev + 8, err);
		ev[10] = tag;
		le64(ev + 16, tag == 0 ? 0 : 1);
		le16(ev + 24, flags);
		if ((uint64_t)out + (uint64_t)nev * EVENT_SIZE > 0xffffffffull)
			guest(out, (uint64_t)(nev + 1) * EVENT_SIZE, 8);
		gwrite(out + nev * EVENT_SIZE, ev, EVENT_SIZE, 8);
		nev++;
	}
	return put32(nevents, nev);
}
