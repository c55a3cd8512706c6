package regalloc

// Intervals, their spans and uses, and each register's list of them were allocated one by
// one, and the span and use lists grown by append as a walk found them: at -O2 on
// encoding/json's test binary, half of the allocator's allocations and a tenth of the
// whole build's CPU in the memory allocator and the collector (issue 21). They live only
// during one Run, so they are carved from a few large arrays instead, which the next Run of
// the worker takes again (runpool.go).

// chunkLen is the length of the first array of a chunks; the next chunkGrowths double,
// and the ones after are as long as the last of those: doubling without end left up to
// half of what a cold allocator took for a huge function unused (TestHostileWork).
const (
	chunkLen     = 1024
	chunkGrowths = 4
)

// chunks hands out slices of T carved from arrays it keeps: handing out costs no
// allocation once the arrays are large enough, and reset makes them all free again. A
// slice handed out has its length as capacity, so that an append to it copies rather than
// overwrite its neighbour; it holds what was there before (the caller writes every element).
type chunks[T any] struct {
	list [][]T
	cur  int // the array being carved
	used int // how much of list[cur] is handed out
}

// take returns n elements.
func (c *chunks[T]) take(n int) []T {
	for {
		if c.cur < len(c.list) {
			if ch := c.list[c.cur]; c.used+n <= len(ch) {
				s := ch[c.used : c.used+n : c.used+n]
				c.used += n
				return s
			}
			if c.cur+1 < len(c.list) {
				c.cur, c.used = c.cur+1, 0
				continue
			}
		}
		c.list = append(c.list, make([]T, max(n, chunkLen<<min(len(c.list), chunkGrowths))))
		c.cur, c.used = len(c.list)-1, 0
	}
}

// reset makes every element free again.
func (c *chunks[T]) reset() { c.cur, c.used = 0, 0 }

// size is the number of elements of all the arrays.
func (c *chunks[T]) size() int {
	n := 0
	for _, ch := range c.list {
		n += len(ch)
	}
	return n
}

// arena holds the intervals of one Run and what they point to.
type arena struct {
	intervals chunks[interval]
	spans     chunks[span]
	uses      chunks[usePos]
	lists     chunks[*interval] // each register's children
}

func (r *arena) reset() {
	r.intervals.reset()
	r.spans.reset()
	r.uses.reset()
	r.lists.reset()
}

// large reports whether r holds more than is worth keeping for the next function (a few
// megabytes): a huge function's arrays would stay alive through the next one's
// selection, and in every worker (issue 19).
func (r *arena) large() bool {
	return r.intervals.size() > reuseMax || r.spans.size()+r.uses.size()+r.lists.size() > 8*reuseMax
}

// newInterval returns a zeroed interval of the arena.
func (r *arena) newInterval() *interval {
	it := &r.intervals.take(1)[0]
	*it = interval{}
	return it
}
