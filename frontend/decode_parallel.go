package frontend

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// A large code section's bodies are decoded by several goroutines (issue 21): decoding
// them is most of Decode's work, which precedes everything else a build does. The
// result is the serial loop's to the byte, errors included.

// parallelCodeMin is the size in bytes of the smallest code section decoded in parallel:
// below it, starting goroutines costs more than they save.
var parallelCodeMin = 1 << 20

// codeDecoders is how many goroutines decode a large code section.
var codeDecoders = func() int { return runtime.GOMAXPROCS(0) }

// codeChunk is a run of consecutive bodies that one goroutine decodes, and what came of it.
type codeChunk struct {
	first, end int          // the bodies [first, end)
	err        error        // the first error, in body first+at
	at         int          //
	needCount  *DecodeError // the first memory.init or data.drop, as decoder.needCount
}

// codesParallel does codeSection's loop over n bodies with workers goroutines. The sizes
// are read first, in order, as the loop reads them; then chunks of bodies are decoded
// each by one goroutine, as the loop would, into a decoder of its own; the first error in
// body order is the section's, so a size that fails to read counts only when every body
// before it decoded.
func (d *decoder) codesParallel(r *reader, n, workers int) {
	starts := make([]int, 0, min(n, r.remaining()/2)+1) // where each body's size is
	fn := 0
	for ; fn < n; fn++ {
		at := r.pos
		size := r.length()
		if r.err != nil {
			break
		}
		starts = append(starts, at)
		r.pos += size
	}
	sizeErr := r.err
	r.err = nil
	k := len(starts)
	starts = append(starts, r.pos)
	if cap(d.m.Codes) < k {
		d.m.Codes = make([]Code, k)
	}
	d.m.Codes = d.m.Codes[:k]

	chunks := splitCodes(starts, workers*8)
	var next atomic.Int32
	var wg sync.WaitGroup
	for range min(workers, len(chunks)) {
		wg.Go(func() {
			wd := &decoder{m: d.m, fn: -1}
			for {
				c := int(next.Add(1) - 1)
				if c >= len(chunks) {
					return
				}
				ch := &chunks[c]
				cr := reader{buf: r.buf[starts[ch.first]:starts[ch.end]], base: r.base + int64(starts[ch.first])}
				wd.needCount = nil
				for i := ch.first; i < ch.end; i++ {
					wd.fn = i
					d.m.Codes[i] = wd.code(&cr)
					if cr.err != nil {
						ch.err, ch.at = cr.err, i
						break
					}
				}
				ch.needCount = wd.needCount
			}
		})
	}
	wg.Wait()
	for i := range chunks {
		ch := &chunks[i]
		if d.needCount == nil {
			d.needCount = ch.needCount
		}
		if ch.err != nil {
			d.fn, r.err = ch.at, ch.err
			return
		}
	}
	if sizeErr != nil {
		d.fn, r.err = fn, sizeErr
		return
	}
	d.fn = -1
}

// splitCodes cuts the bodies that starts delimits (body i is starts[i] to starts[i+1])
// into at most n chunks of about the same size in bytes.
func splitCodes(starts []int, n int) []codeChunk {
	k := len(starts) - 1
	if k == 0 {
		return nil
	}
	total := starts[k] - starts[0]
	chunks := make([]codeChunk, 0, n)
	first := 0
	for i := 1; i <= k; i++ {
		// Cut after body i-1 once the chunks so far hold their share of the bytes.
		if i == k || (starts[i]-starts[0])*n >= total*(len(chunks)+1) {
			chunks = append(chunks, codeChunk{first: first, end: i})
			first = i
		}
	}
	return chunks
}
