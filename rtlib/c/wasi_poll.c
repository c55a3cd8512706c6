// wasi_poll.c: poll_oneoff, over ppoll.
//
// Clock subscriptions become ppoll's timeout (the earliest one; an absolute time is made
// relative to its clock's now). Descriptors that are always ready (regular files and
// directories, as Linux's poll also says) and bad descriptors produce their events at
// once, and then ppoll only looks, with a zero timeout, for others that are ready too.
#include "wasi.h"

#define MAX_SUBS 1024
#define SUB_SIZE 48
#define EVENT_SIZE 32
#define POLLIN 1
#define POLLOUT 4
#define POLLERR 8
#define POLLHUP 0x10
#define POLLNVAL 0x20

uint32_t clock_now(uint32_t id, uint64_t *now);

static uint8_t subs[MAX_SUBS * SUB_SIZE];
static uint8_t events[MAX_SUBS * EVENT_SIZE];
static struct {
	int32_t fd;
	int16_t events, revents;
} pfds[MAX_SUBS];
static uint32_t pfd_sub[MAX_SUBS];  // the subscription of each pfds entry
static uint64_t deadline[MAX_SUBS]; // a clock subscription's delay from the start, in ns

static uint32_t nev;

static void event(const uint8_t *sub, uint16_t err, uint8_t type, uint64_t nbytes, uint16_t flags) {
	uint8_t *e = events + nev * EVENT_SIZE;
	memset(e, 0, EVENT_SIZE);
	memcpy(e, sub, 8); // userdata
	le16(e + 8, err);
	e[10] = type;
	le64(e + 16, nbytes);
	le16(e + 24, flags);
	nev++;
}

WASMC_EXPORT("poll_oneoff")
uint32_t poll_oneoff(uint32_t in, uint32_t out, uint32_t nsubs, uint32_t nevents) {
	if (nsubs == 0)
		return E_INVAL;
	if (nsubs > MAX_SUBS)
		return E_NOTSUP;
	if (wasmc_guest_read(subs, in, nsubs * SUB_SIZE) != 0 || guest_range(out, (uint64_t)nsubs * EVENT_SIZE) == 0 ||
	    guest_range(nevents, 4) == 0)
		return E_FAULT;
	nev = 0;
	uint32_t npfd = 0;
	uint64_t timeout = ~0ull;
	for (uint32_t i = 0; i < nsubs; i++) {
		const uint8_t *s = subs + i * SUB_SIZE;
		uint8_t tag = s[8];
		deadline[i] = ~0ull;
		if (tag == 0) {
			uint32_t id = rd32(s + 16);
			uint64_t t = rd64(s + 24), now;
			uint32_t e = clock_now(id, &now);
			if (e) {
				event(s, (uint16_t)e, 0, 0, 0);
				continue;
			}
			if (s[40] & 1) // abstime
				t = t > now ? t - now : 0;
			deadline[i] = t;
			if (t < timeout)
				timeout = t;
			continue;
		}
		if (tag != 1 && tag != 2)
			return E_INVAL;
		struct wfd *d = fd_get(rd32(s + 16));
		if (d == 0) {
			event(s, E_BADF, tag, 0, 0);
			continue;
		}
		if (d->type == FT_REG || d->type == FT_DIR) {
			event(s, 0, tag, 0, 0);
			continue;
		}
		pfds[npfd].fd = d->host;
		pfds[npfd].events = tag == 1 ? POLLIN : POLLOUT;
		pfds[npfd].revents = 0;
		pfd_sub[npfd] = i;
		npfd++;
	}
	if (nev > 0)
		timeout = 0;
	uint64_t start;
	clock_now(1, &start);
	static int64_t ts[2];
	ts[0] = (int64_t)(timeout / 1000000000ull);
	ts[1] = (int64_t)(timeout % 1000000000ull);
	int64_t r = sys(WASMC_SYS_ppoll, (int64_t)wasmc_rt_host(pfds), npfd,
			timeout == ~0ull ? 0 : (int64_t)wasmc_rt_host(ts), 0, 8, 0);
	if (r < 0)
		return errno_of(r);
	for (uint32_t k = 0; k < npfd; k++) {
		int16_t re = pfds[k].revents;
		if (re == 0)
			continue;
		const uint8_t *s = subs + pfd_sub[k] * SUB_SIZE;
		uint16_t err = re & POLLNVAL ? E_BADF : 0;
		event(s, err, s[8], 0, re & POLLHUP ? 1 : 0);
	}
	if (nev == 0) {
		// Nothing became ready, so the earliest clock ran out: it fires, with any other
		// that is due by now.
		uint64_t now;
		clock_now(1, &now);
		uint64_t elapsed = now - start;
		for (uint32_t i = 0; i < nsubs; i++)
			if (deadline[i] != ~0ull && (deadline[i] <= elapsed || deadline[i] == timeout))
				event(subs + i * SUB_SIZE, 0, 0, 0, 0);
	}
	wasmc_guest_write(out, events, nev * EVENT_SIZE);
	return put32(nevents, nev);
}
