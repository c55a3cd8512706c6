// The shim's signals: Darwin's signal numbers, struct sigaction (libSystem's: the handler,
// a 32-bit mask, flags), stack_t (ss_size before ss_flags, where Linux has them the other
// way round), sigprocmask's how, and, for a handler installed with SA_SIGINFO, Darwin's
// siginfo_t and ucontext_t. The shim installs its own Linux handler for every signal given
// a Darwin handler; that handler builds the Darwin siginfo_t and a Darwin mcontext64 from
// Linux's ucontext, calls the program's handler, and copies the registers back, which is
// how a trap handler redirects the program counter.

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <ucontext.h>

#include "shim_impl.h"

static const struct {
	int darwin, linux_;
} signals[] = {
    {DARWIN_SIGHUP, SIGHUP},   {DARWIN_SIGINT, SIGINT},       {DARWIN_SIGQUIT, SIGQUIT},     {DARWIN_SIGILL, SIGILL},
    {DARWIN_SIGTRAP, SIGTRAP}, {DARWIN_SIGABRT, SIGABRT},     {DARWIN_SIGFPE, SIGFPE},       {DARWIN_SIGKILL, SIGKILL},
    {DARWIN_SIGBUS, SIGBUS},   {DARWIN_SIGSEGV, SIGSEGV},     {DARWIN_SIGSYS, SIGSYS},       {DARWIN_SIGPIPE, SIGPIPE},
    {DARWIN_SIGALRM, SIGALRM}, {DARWIN_SIGTERM, SIGTERM},     {DARWIN_SIGURG, SIGURG},       {DARWIN_SIGSTOP, SIGSTOP},
    {DARWIN_SIGTSTP, SIGTSTP}, {DARWIN_SIGCONT, SIGCONT},     {DARWIN_SIGCHLD, SIGCHLD},     {DARWIN_SIGTTIN, SIGTTIN},
    {DARWIN_SIGTTOU, SIGTTOU}, {DARWIN_SIGIO, SIGIO},         {DARWIN_SIGXCPU, SIGXCPU},     {DARWIN_SIGXFSZ, SIGXFSZ},
    {DARWIN_SIGVTALRM, SIGVTALRM}, {DARWIN_SIGPROF, SIGPROF}, {DARWIN_SIGWINCH, SIGWINCH},   {DARWIN_SIGUSR1, SIGUSR1},
    {DARWIN_SIGUSR2, SIGUSR2},
};

int linux_signal(int dsig) {
	for (size_t i = 0; i < N(signals); i++)
		if (signals[i].darwin == dsig)
			return signals[i].linux_;
	return -1;
}

int darwin_signal(int sig) {
	for (size_t i = 0; i < N(signals); i++)
		if (signals[i].linux_ == sig)
			return signals[i].darwin;
	return 0;
}

// Darwin's sigset_t is 32 bits, bit n-1 for signal n.
static void linux_mask(uint32_t d, sigset_t *s) {
	sigemptyset(s);
	for (int dsig = 1; dsig < DARWIN_NSIG; dsig++) {
		int sig = linux_signal(dsig);
		if (d >> (dsig - 1) & 1 && sig > 0)
			sigaddset(s, sig);
	}
}

static uint32_t darwin_mask(const sigset_t *s) {
	uint32_t d = 0;
	for (int dsig = 1; dsig < DARWIN_NSIG; dsig++) {
		int sig = linux_signal(dsig);
		if (sig > 0 && sigismember(s, sig) == 1)
			d |= (uint32_t)1 << (dsig - 1);
	}
	return d;
}

// The program's actions, by Darwin signal number, and whether each was set.
static struct darwin_usigactiont actions[DARWIN_NSIG];
static bool action_set[DARWIN_NSIG];

static uint64_t handler_of(const struct darwin_usigactiont *a) {
	uint64_t h;
	memcpy(&h, a->__sigaction_u, sizeof h);
	return h;
}

// The si_code values of the faults that differ: Darwin numbers FPE's integer codes first.
static int darwin_code(int sig, int code) {
	static const struct flag fpe[] = {
	    {DARWIN_FPE_INTDIV, FPE_INTDIV}, {DARWIN_FPE_INTOVF, FPE_INTOVF}, {DARWIN_FPE_FLTDIV, FPE_FLTDIV},
	    {DARWIN_FPE_FLTOVF, FPE_FLTOVF}, {DARWIN_FPE_FLTUND, FPE_FLTUND}, {DARWIN_FPE_FLTRES, FPE_FLTRES},
	    {DARWIN_FPE_FLTINV, FPE_FLTINV}, {DARWIN_FPE_FLTSUB, FPE_FLTSUB},
	};
	static const struct flag segv[] = {{DARWIN_SEGV_MAPERR, SEGV_MAPERR}, {DARWIN_SEGV_ACCERR, SEGV_ACCERR}};
	static const struct flag bus[] = {
	    {DARWIN_BUS_ADRALN, BUS_ADRALN}, {DARWIN_BUS_ADRERR, BUS_ADRERR}, {DARWIN_BUS_OBJERR, BUS_OBJERR}};
	const struct flag *tab = sig == SIGFPE ? fpe : sig == SIGSEGV ? segv : sig == SIGBUS ? bus : 0;
	size_t n = sig == SIGFPE ? N(fpe) : sig == SIGSEGV ? N(segv) : sig == SIGBUS ? N(bus) : 0;
	for (size_t i = 0; i < n; i++)
		if (tab[i].linux_ == code)
			return tab[i].darwin;
	return 0;
}

#if defined(__x86_64__)
// Darwin's __ss lists rax, rbx, rcx, rdx, rdi, rsi, rbp, rsp, r8-r15, rip, rflags; these are
// Linux's gregs in that order.
static const int gregs_order[] = {REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RDI, REG_RSI, REG_RBP,
                                  REG_RSP, REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13,
                                  REG_R14, REG_R15, REG_RIP, REG_EFL};
// floatstate64 holds the fxsave image that Linux's fpregs points to, after two reserved words.
#define FXSAVE_SIZE 512
_Static_assert(offsetof(struct darwin_floatstate64, fpu_fcw) == 8, "fxsave");
_Static_assert(offsetof(struct darwin_floatstate64, fpu_reserved1) == 8 + FXSAVE_SIZE, "fxsave");

static void from_linux(struct darwin_mcontext64 *mc, const ucontext_t *uc) {
	const greg_t *g = uc->uc_mcontext.gregs;
	uint64_t *ss = &mc->ss.rax;
	for (size_t i = 0; i < N(gregs_order); i++)
		ss[i] = (uint64_t)g[gregs_order[i]];
	// REG_CSGSFS packs cs, gs and fs, 16 bits each.
	mc->ss.cs = (uint64_t)g[REG_CSGSFS] & 0xffff;
	mc->ss.gs = (uint64_t)g[REG_CSGSFS] >> 16 & 0xffff;
	mc->ss.fs = (uint64_t)g[REG_CSGSFS] >> 32 & 0xffff;
	mc->es.trapno = (uint16_t)g[REG_TRAPNO];
	mc->es.err = (uint32_t)g[REG_ERR];
	mc->es.faultvaddr = (uint64_t)g[REG_CR2];
	if (uc->uc_mcontext.fpregs)
		memcpy((char *)&mc->fs + 8, uc->uc_mcontext.fpregs, FXSAVE_SIZE);
}

static void to_linux_context(ucontext_t *uc, const struct darwin_mcontext64 *mc) {
	greg_t *g = uc->uc_mcontext.gregs;
	const uint64_t *ss = &mc->ss.rax;
	for (size_t i = 0; i < N(gregs_order); i++)
		g[gregs_order[i]] = (greg_t)ss[i];
	if (uc->uc_mcontext.fpregs)
		memcpy(uc->uc_mcontext.fpregs, (const char *)&mc->fs + 8, FXSAVE_SIZE);
}
_Static_assert(offsetof(struct darwin_regs64, rflags) - offsetof(struct darwin_regs64, rax) == 17 * 8, "regs64");

#elif defined(__aarch64__)
#include <asm/sigcontext.h>

// find_context returns the record with magic in Linux's __reserved area, or 0.
static struct _aarch64_ctx *find_context(const mcontext_t *m, uint32_t magic) {
	for (size_t off = 0; off + sizeof(struct _aarch64_ctx) <= sizeof m->__reserved;) {
		struct _aarch64_ctx *c = (struct _aarch64_ctx *)(m->__reserved + off);
		if (c->magic == 0 || c->size == 0)
			return 0;
		if (c->magic == magic)
			return c;
		off += c->size;
	}
	return 0;
}

static void from_linux(struct darwin_mcontext64 *mc, const ucontext_t *uc) {
	const mcontext_t *m = &uc->uc_mcontext;
	for (int i = 0; i < 29; i++)
		mc->ss.x[i] = m->regs[i];
	mc->ss.fp = m->regs[29];
	mc->ss.lr = m->regs[30];
	mc->ss.sp = m->sp;
	mc->ss.pc = m->pc;
	mc->ss.cpsr = (uint32_t)m->pstate;
	mc->es.far = m->fault_address;
	struct esr_context *esr = (struct esr_context *)find_context(m, ESR_MAGIC);
	mc->es.esr = esr ? (uint32_t)esr->esr : 0;
	// exception: Darwin's EXC_* number of the Mach exception, which Linux does not give.
	struct fpsimd_context *fp = (struct fpsimd_context *)find_context(m, FPSIMD_MAGIC);
	if (fp) {
		memcpy(mc->ns.v, fp->vregs, sizeof mc->ns.v);
		mc->ns.fpsr = fp->fpsr;
		mc->ns.fpcr = fp->fpcr;
	}
}

static void to_linux_context(ucontext_t *uc, const struct darwin_mcontext64 *mc) {
	mcontext_t *m = &uc->uc_mcontext;
	for (int i = 0; i < 29; i++)
		m->regs[i] = mc->ss.x[i];
	m->regs[29] = mc->ss.fp;
	m->regs[30] = mc->ss.lr;
	m->sp = mc->ss.sp;
	m->pc = mc->ss.pc;
	m->pstate = (m->pstate & ~(uint64_t)UINT32_MAX) | mc->ss.cpsr;
	struct fpsimd_context *fp = (struct fpsimd_context *)find_context(m, FPSIMD_MAGIC);
	if (fp) {
		memcpy(fp->vregs, mc->ns.v, sizeof mc->ns.v);
		fp->fpsr = mc->ns.fpsr;
		fp->fpcr = mc->ns.fpcr;
	}
}
_Static_assert(sizeof(((struct darwin_neonstate64 *)0)->v) == 32 * 16, "neon");
#endif

// on_signal is the Linux handler of every signal the program handles.
static void on_signal(int sig, siginfo_t *si, void *ctx) {
	ucontext_t *uc = ctx;
	int dsig = darwin_signal(sig);
	const struct darwin_usigactiont *a = &actions[dsig];
	uint64_t h = handler_of(a);
	if (!(a->sa_flags & DARWIN_SA_SIGINFO)) {
		((void (*)(int))(uintptr_t)h)(dsig);
		return;
	}
	struct darwin_siginfo dsi = {
	    .si_signo = dsig,
	    .si_code = darwin_code(sig, si->si_code),
	    .darwin_si_pid = si->si_pid,
	    .darwin_si_uid = si->si_uid,
	    .darwin_si_addr = (uint64_t)(uintptr_t)si->si_addr,
	};
	struct darwin_mcontext64 mc;
	memset(&mc, 0, sizeof mc);
	from_linux(&mc, uc);
	struct darwin_ucontext duc = {
	    .uc_onstack = (uc->uc_stack.ss_flags & SS_ONSTACK) != 0,
	    .uc_sigmask = darwin_mask(&uc->uc_sigmask),
	    .uc_stack = {.ss_sp = (uint64_t)(uintptr_t)uc->uc_stack.ss_sp, .ss_size = uc->uc_stack.ss_size},
	    .uc_mcsize = sizeof mc,
	    .uc_mcontext = (uint64_t)(uintptr_t)&mc,
	};
	((void (*)(int, struct darwin_siginfo *, void *))(uintptr_t)h)(dsig, &dsi, &duc);
	to_linux_context(uc, &mc);
}

static const struct flag sa_flags[] = {
    {DARWIN_SA_SIGINFO, 0}, // the shim's own handler always takes siginfo
    {DARWIN_SA_ONSTACK, SA_ONSTACK},
    {DARWIN_SA_RESTART, SA_RESTART},
};

static int shim_sigaction(int dsig, const struct darwin_usigactiont *act, struct darwin_usigactiont *old) {
	if (dsig <= 0 || dsig >= DARWIN_NSIG)
		return (int)invalid(-1);
	int sig = linux_signal(dsig);
	struct sigaction lold;
	if (sig > 0 && sigaction(sig, 0, &lold) < 0)
		return (int)fail(-1);
	if (old) {
		if (action_set[dsig]) {
			*old = actions[dsig];
		} else {
			// Not set by the program: the disposition it inherited, default or ignored.
			memset(old, 0, sizeof *old);
			uint64_t h = sig > 0 && lold.sa_handler == SIG_IGN;
			memcpy(old->__sigaction_u, &h, sizeof h);
		}
	}
	if (!act)
		return 0;
	int flags = to_linux(act->sa_flags, sa_flags, N(sa_flags));
	if (flags < 0)
		return (int)invalid(-1);
	if (sig < 0) {
		// SIGEMT and SIGINFO, which Linux never delivers.
		actions[dsig] = *act;
		action_set[dsig] = true;
		return 0;
	}
	struct sigaction la;
	memset(&la, 0, sizeof la);
	linux_mask(act->sa_mask, &la.sa_mask);
	uint64_t h = handler_of(act);
	if (h == 0 || h == 1) {
		// SIG_DFL and SIG_IGN are 0 and 1 on both.
		la.sa_handler = h ? SIG_IGN : SIG_DFL;
		la.sa_flags = flags;
	} else {
		la.sa_sigaction = on_signal;
		la.sa_flags = flags | SA_SIGINFO;
	}
	struct darwin_usigactiont prev = actions[dsig];
	actions[dsig] = *act;
	if (sigaction(sig, &la, 0) < 0) {
		actions[dsig] = prev;
		return (int)fail(-1);
	}
	action_set[dsig] = true;
	return 0;
}

static int shim_sigaltstack(const struct darwin_stackt *ss, struct darwin_stackt *old) {
	stack_t l, lold;
	if (ss) {
		if (ss->ss_flags & ~DARWIN_SS_DISABLE)
			return (int)invalid(-1);
		l = (stack_t){
		    .ss_sp = (void *)(uintptr_t)ss->ss_sp,
		    .ss_size = ss->ss_size,
		    .ss_flags = ss->ss_flags & DARWIN_SS_DISABLE ? SS_DISABLE : 0,
		};
	}
	if (sigaltstack(ss ? &l : 0, &lold) < 0)
		return (int)fail(-1);
	if (old)
		*old = (struct darwin_stackt){
		    .ss_sp = (uint64_t)(uintptr_t)lold.ss_sp,
		    .ss_size = lold.ss_size,
		    .ss_flags = (lold.ss_flags & SS_DISABLE ? DARWIN_SS_DISABLE : 0) |
		                (lold.ss_flags & SS_ONSTACK ? DARWIN_SS_ONSTACK : 0),
		};
	return 0;
}

static int shim_sigprocmask(int dhow, const uint32_t *set, uint32_t *old) {
	int how = dhow == DARWIN_SIG_BLOCK     ? SIG_BLOCK
	          : dhow == DARWIN_SIG_UNBLOCK ? SIG_UNBLOCK
	          : dhow == DARWIN_SIG_SETMASK ? SIG_SETMASK
	                                       : -1;
	if (set && how < 0)
		return (int)invalid(-1);
	sigset_t l, lold;
	if (set)
		linux_mask(*set, &l);
	if (sigprocmask(how < 0 ? SIG_BLOCK : how, set ? &l : 0, &lold) < 0)
		return (int)fail(-1);
	if (old)
		*old = darwin_mask(&lold);
	return 0;
}

const struct shim_symbol shim_signal_symbols[] = {
    {"_sigaction", (void *)shim_sigaction},
    {"_sigaltstack", (void *)shim_sigaltstack},
    {"_sigprocmask", (void *)shim_sigprocmask},
    {0, 0},
};
