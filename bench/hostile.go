package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// The hostile part: generated modules that are small for what they ask of a compiler,
// one per family of worst case (deep nesting, many live values, huge br_tables, many
// functions, huge segments, many locals). Compile cost must stay linear in the module
// (issue 19): each family's CPU time and peak RSS per byte are reported as a multiple of
// a real Go program's (gobig, compiled in the same run), and a multiple above
// hostileBound is marked.

// hostileBound is the most a worst case may cost per byte, as a multiple of gobig's.
const hostileBound = 10

// tinyModule is the size below which a module's cost is not judged per byte.
const tinyModule = 64 << 10

// hostileModule is one generated worst case.
type hostileModule struct {
	name string
	what string // one line for the table's legend
	gen  func() []byte
}

var allHostile = []hostileModule{
	{"nested-loops", "100,000 nested loops, each closed by a br_if back to itself", func() []byte { return nestedLoops(100000) }},
	{"nested-ifs", "100,000 nested ifs", func() []byte { return nestedIfs(100000) }},
	{"stack-across-ifs", "20,000 operand-stack values live across 20,000 ifs", func() []byte { return stackAcrossIfs(20000) }},
	{"locals-across-ifs", "20,000 locals set at the top, live across 20,000 ifs, summed at the end", func() []byte { return localsAcrossIfs(20000) }},
	{"results-in-ifs", "a call returning 20,000 values, each then tested by an if", func() []byte { return resultsInIfs(20000) }},
	{"br-table", "a br_table of 1,000,000 targets out of 1,000 nested blocks", func() []byte { return bigBrTable(1000, 1000000) }},
	{"functions", "100,000 functions, each calling the next", func() []byte { return manyFunctions(100000) }},
	{"data-segments", "100,000 active data segments of 8 bytes", func() []byte { return manyDataSegments(100000) }},
	{"data-big", "one active data segment of 4 MB", func() []byte { return bigData(4 << 20) }},
	{"elem-passive", "a passive element segment of 1,000,000 function indices", func() []byte { return bigElem(1000000, false) }},
	{"elem-active", "an active element segment of 1,000,000 function indices", func() []byte { return bigElem(1000000, true) }},
	{"locals-declared", "a function declaring 2^24 locals, reading two", func() []byte { return declaredLocals(1 << 24) }},
}

// selectHostile parses -hostile: names from allHostile, "all" or "none".
func selectHostile(list string) ([]hostileModule, error) {
	switch list {
	case "none":
		return nil, nil
	case "all":
		return allHostile, nil
	}
	var out []hostileModule
	for name := range strings.SplitSeq(list, ",") {
		name = strings.TrimSpace(name)
		i := slices.IndexFunc(allHostile, func(m hostileModule) bool { return m.name == name })
		if i < 0 {
			var names []string
			for _, m := range allHostile {
				names = append(names, m.name)
			}
			return nil, fmt.Errorf("unknown module %q in -hostile (have %s, all or none)", name, strings.Join(names, ", "))
		}
		out = append(out, allHostile[i])
	}
	return out, nil
}

// start returns a module whose only function, exported as _start, is f.
func start(f *wfunc) *wmodule {
	m := &wmodule{memory: true}
	f.typ = m.functype(nil, nil)
	m.funcs = []*wfunc{f}
	m.export("_start", 0)
	return m
}

func nestedLoops(n int) []byte {
	f := &wfunc{locals: [][2]uint32{{1, wI32}}}
	for range n {
		f.body.op(opLoop, wEmpty)
	}
	for range n {
		f.body.op(opGet, 0)
		f.body.op(opBrIf, 0)
		f.body.op(opEnd)
	}
	return start(f).encode()
}

func nestedIfs(n int) []byte {
	f := &wfunc{locals: [][2]uint32{{1, wI32}}}
	for range n {
		f.body.op(opGet, 0)
		f.body.op(opIf, wEmpty)
	}
	f.body.op(0x00) // unreachable
	for range n {
		f.body.op(opEnd)
	}
	return start(f).encode()
}

// sideIf appends an if on local 0 whose then arm sets global 0.
func sideIf(b *wbuf) {
	b.op(opGet, 0)
	b.op(opIf, wEmpty)
	b.i32(1)
	b.op(opGSet, 0)
	b.op(opEnd)
}

func stackAcrossIfs(n int) []byte {
	f := &wfunc{locals: [][2]uint32{{1, wI32}}}
	f.body.load(0)
	f.body.op(opSet, 0)
	for i := range n {
		f.body.load(uint32(4 * (i % 16000)))
	}
	for range n {
		sideIf(&f.body)
	}
	for range n - 1 {
		f.body.op(opI32Add)
	}
	f.body.op(opGSet, 0)
	m := start(f)
	m.mutGlobal()
	return m.encode()
}

func localsAcrossIfs(n int) []byte {
	f := &wfunc{locals: [][2]uint32{{uint32(n + 1), wI32}}}
	f.body.load(0)
	f.body.op(opSet, 0)
	for i := range n {
		f.body.load(uint32(4 * (i % 16000)))
		f.body.op(opSet, uint32(i+1))
	}
	for range n {
		sideIf(&f.body)
	}
	f.body.op(opGet, 1)
	for i := 1; i < n; i++ {
		f.body.op(opGet, uint32(i+1))
		f.body.op(opI32Add)
	}
	f.body.op(opGSet, 0)
	m := start(f)
	m.mutGlobal()
	return m.encode()
}

func resultsInIfs(n int) []byte {
	m := &wmodule{memory: true}
	many := &wfunc{typ: m.functype(nil, []byte(strings.Repeat(string(rune(wI32)), n)))}
	for i := range n {
		many.body.load(uint32(4 * (i % 16000)))
	}
	st := &wfunc{typ: m.functype(nil, nil)}
	st.body.op(opCall, 0)
	for range n {
		st.body.op(opIf, wEmpty)
		st.body.i32(1)
		st.body.op(opGSet, 0)
		st.body.op(opEnd)
	}
	m.funcs = []*wfunc{many, st}
	m.mutGlobal()
	m.export("_start", 1)
	return m.encode()
}

func bigBrTable(depth, targets int) []byte {
	f := &wfunc{locals: [][2]uint32{{1, wI32}}}
	for range depth {
		f.body.op(opBlock, wEmpty)
	}
	f.body.op(opGet, 0)
	f.body.op(opBrTable, uint32(targets))
	for i := range targets {
		f.body.u32(uint32(i % depth))
	}
	f.body.u32(0)
	for range depth {
		f.body.op(opEnd)
	}
	return start(f).encode()
}

func manyFunctions(n int) []byte {
	m := &wmodule{memory: true}
	t := m.functype([]byte{wI32}, []byte{wI32})
	for i := range n {
		f := &wfunc{typ: t}
		f.body.op(opGet, 0)
		f.body.i32(int32(i))
		f.body.op(opI32Add)
		if i+1 < n {
			f.body.op(opCall, uint32(i+1))
		}
		m.funcs = append(m.funcs, f)
	}
	st := &wfunc{typ: m.functype(nil, nil)}
	st.body.i32(1)
	st.body.op(opCall, 0)
	st.body.op(opDrop)
	m.funcs = append(m.funcs, st)
	m.export("_start", uint32(n))
	return m.encode()
}

// activeData returns an active data segment for memory 0 at offset.
func activeData(offset int32, data []byte) []byte {
	var b wbuf
	b.byte(0)
	b.i32(offset)
	b.byte(opEnd)
	b.u32(uint32(len(data)))
	b.byte(data...)
	return b
}

func manyDataSegments(n int) []byte {
	m := start(&wfunc{})
	for i := range n {
		m.datas = append(m.datas, activeData(int32(8*(i%8000)), []byte("segment!")))
	}
	return m.encode()
}

func bigData(size int) []byte {
	m := start(&wfunc{})
	m.memory = false
	var mem wbuf
	mem.byte(1, 0)
	mem.u32(uint32(size>>16 + 1))
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i * 7)
	}
	m.datas = append(m.datas, activeData(0, data))
	enc := m.encode()
	// The memory section (id 5) goes between the function and export sections; the
	// encoder writes one page when memory is set, so splice a larger one in here.
	var sec wbuf
	sec.byte(5)
	sec.u32(uint32(len(mem)))
	sec.byte(mem...)
	at := exportSection(enc)
	return slices.Concat(enc[:at], sec, enc[at:])
}

// exportSection returns the offset of the export section's id in enc.
func exportSection(enc []byte) int {
	for at := 8; at < len(enc); {
		id := enc[at]
		n, w := uleb(enc[at+1:])
		if id == 7 {
			return at
		}
		at += 1 + w + int(n)
	}
	return len(enc)
}

func uleb(b []byte) (uint32, int) {
	var v uint32
	for i, c := range b {
		v |= uint32(c&0x7f) << (7 * i)
		if c < 0x80 {
			return v, i + 1
		}
	}
	return v, len(b)
}

func bigElem(n int, active bool) []byte {
	m := start(&wfunc{})
	var seg wbuf
	if active {
		var t wbuf
		t.byte(1, wFuncRef, 0)
		t.u32(uint32(n))
		m.table = t
		seg.byte(0)
		seg.i32(0)
		seg.byte(opEnd)
	} else {
		seg.byte(1, 0) // passive, elemkind funcref
	}
	seg.u32(uint32(n))
	for range n {
		seg.u32(0)
	}
	m.elems = [][]byte{seg}
	return m.encode()
}

func declaredLocals(n int) []byte {
	f := &wfunc{locals: [][2]uint32{{uint32(n / 2), wI32}, {uint32(n - n/2), wI64}}}
	f.body.op(opGet, 0)
	f.body.op(opGGet, 0)
	f.body.op(opI32Add)
	f.body.op(opGSet, 0)
	m := start(f)
	m.mutGlobal()
	return m.encode()
}

// hostileCompileCost builds gobig and every hostile module with wasmc at -O0 and -O2,
// -n times each, and prints one table. It reports whether a build failed.
func hostileCompileCost(cfg config, ms []hostileModule) (failed bool) {
	type entry struct {
		name, what, path string
		size             int64
	}
	// The empty module's cost is every build's fixed cost (the runtime, the process);
	// the ratios are of the cost above it, so that a small module is not judged by it.
	empty := filepath.Join(cfg.work, "empty.wasm")
	if err := os.WriteFile(empty, start(&wfunc{}).encode(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		return true
	}
	entries := []entry{{name: "empty (fixed cost)", path: empty, size: 1},
		{name: "gobig (reference)", path: filepath.Join(cfg.src, "testdata/programs/gobig/gobig.wasm")}}
	for _, m := range ms {
		p := filepath.Join(cfg.work, m.name+".wasm")
		data := m.gen()
		if err := os.WriteFile(p, data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "hostile:", err)
			return true
		}
		entries = append(entries, entry{name: m.name, what: m.what, path: p, size: int64(len(data))})
	}
	if fi, err := os.Stat(entries[1].path); err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		return true
	} else {
		entries[1].size = fi.Size()
	}
	fmt.Printf("\ncompile cost of generated worst cases, median of %d (× gobig: per byte, as a multiple of gobig's; over %d marked !)\n", cfg.n, hostileBound)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "module\tlevel\tsize\twall\tCPU\tpeak RSS\tCPU/byte × gobig\tRSS/byte × gobig\t")
	type ref struct{ cpu, rss float64 }
	fixed, refs := map[string]ref{}, map[string]ref{}
	out := filepath.Join(cfg.work, "hostile.out")
	for _, e := range entries {
		for _, level := range []string{"-O0", "-O2"} {
			fmt.Fprintf(os.Stderr, "hostile: %s %s\n", e.name, level)
			fmt.Fprintf(tw, "%s\t%s\t%s\t", e.name, level, kb(e.size))
			var walls, cpus []time.Duration
			var peak int64
			var err error
			for range cfg.n {
				var u usage
				cmd := exec.Command(cfg.wasmc, "build", level, "-q", e.path, "-o", out)
				if u, err = runMeasured(cmd); err != nil {
					break
				}
				walls, cpus, peak = append(walls, u.wall), append(cpus, u.cpu), max(peak, u.maxRSS)
			}
			os.Remove(out)
			if err != nil {
				failed = true
				fmt.Fprintf(tw, "FAILED: %s\t\t\t\t\t\n", firstLine(err.Error()))
				continue
			}
			cpu := median(cpus)
			if e.path == empty {
				fixed[level] = ref{cpu.Seconds(), float64(peak)}
				fmt.Fprintf(tw, "%s\t%s\t%.0f MB\t\t\t\n", secs(median(walls)), secs(cpu), float64(peak)/1e6)
				continue
			}
			f := fixed[level]
			r := ref{max(cpu.Seconds()-f.cpu, 0) / float64(e.size), max(float64(peak)-f.rss, 0) / float64(e.size)}
			if e.what == "" {
				refs[level] = r
			}
			x := refs[level]
			if e.size < tinyModule {
				// A few bytes that ask for much (2^24 locals): per byte, any cost is
				// huge, so the figures stand alone.
				fmt.Fprintf(tw, "%s\t%s\t%.0f MB\t-\t-\t\n", secs(median(walls)), secs(cpu), float64(peak)/1e6)
				continue
			}
			mark := func(v float64) string {
				if v > hostileBound {
					failed = true
					return fmt.Sprintf("%.1f !", v)
				}
				return fmt.Sprintf("%.1f", v)
			}
			fmt.Fprintf(tw, "%s\t%s\t%.0f MB\t%s\t%s\t\n", secs(median(walls)), secs(cpu), float64(peak)/1e6,
				mark(r.cpu/x.cpu), mark(r.rss/x.rss))
		}
	}
	tw.Flush()
	for _, e := range entries[2:] {
		fmt.Printf("(%s: %s)\n", e.name, e.what)
	}
	fmt.Println("(wasmc build -O? -q, the whole process, executable written; CPU: user+sys; peak RSS: the highest maxrss of the -n processes;" +
		" × gobig: the CPU and RSS above the empty module's, per byte of module, as a multiple of gobig's; none for modules under 64 KB)")
	return failed
}

func kb(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+512)>>10)
}
