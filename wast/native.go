package wast

import (
	"bufio"
	"bytes"
	"context"
	endian "encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
	"github.com/wasmc/wasmc/internal/runexe"
	"github.com/wasmc/wasmc/ir"
)

// A .wast script as one native executable (DESIGN.md decision 11). Planning walks the
// script once: every module that loads, lowers and links becomes an input of one program,
// and every command that needs execution becomes a step of it (driver.Script). The
// executable runs all steps in one process and reports one line per step; collecting
// reads the lines back in command order into results for judge.

// native holds what one script's run needs.
type native struct {
	r    *runner
	cfg  Config
	plan plan
}

// plan is the program a script becomes and what each command expects of it.
type plan struct {
	inputs  []driver.Input // lowered modules
	steps   []driver.Step
	cmds    []nativeCmd
	byID    map[string]*nativeInst
	current *nativeInst
}

// nativeInst is one module instance of the script.
type nativeInst struct {
	input       int        // index in inputs, -1 if not part of the program
	m           *ir.Module // lowered, before linking
	unsupported string
	broken      string // why commands on it fail
	initStep    int    // the step that instantiates it
}

// nativeCmd is one script command: decided at planning (step < 0, with res), or by the
// output of its step.
type nativeCmd struct {
	step    int
	res     result
	inst    *nativeInst // the instance the command acts on, or instantiates
	defines bool        // a module command: a trap in its step breaks inst
	results []ir.Type   // of an invoke or get
	// unlinkable: an assert_unlinkable whose module only run time can decide.
	unlinkable bool
}

// spectestWat is the host module of the spec scripts, as the reference interpreter
// defines it, written as a module: natively every import is an ordinary link.
const spectestWat = `(module
  (global (export "global_i32") i32 (i32.const 666))
  (global (export "global_i64") i64 (i64.const 666))
  (global (export "global_f32") f32 (f32.const 666.6))
  (global (export "global_f64") f64 (f64.const 666.6))
  (table (export "table") 10 20 funcref)
  (memory (export "memory") 1 2)
  (func (export "print"))
  (func (export "print_i32") (param i32))
  (func (export "print_i64") (param i64))
  (func (export "print_f32") (param f32))
  (func (export "print_f64") (param f64))
  (func (export "print_i32_f32") (param i32 f32))
  (func (export "print_f64_f64") (param f64 f64)))`

func newNative(r *runner, cfg Config) *native {
	return &native{r: r, cfg: cfg, plan: plan{byID: map[string]*nativeInst{}}}
}

// run plans, builds and runs the script, and returns what each command showed. An error
// means the script could not be planned at all.
func (n *native) run(cmds []wat.Command) ([]result, error) {
	fm, err := wat.ParseModule("spectest", []byte(spectestWat))
	if err != nil {
		return nil, fmt.Errorf("internal error: spectest: %w", err)
	}
	st, err := driver.Lower(fm, n.cfg.Options.ISA)
	if err != nil {
		return nil, fmt.Errorf("internal error: spectest: %w", err)
	}
	p := &n.plan
	p.steps = append(p.steps, driver.Step{Kind: driver.StepInit, Input: p.addInput("spectest", st)})
	for i := range cmds {
		p.cmds = append(p.cmds, n.planCommand(&cmds[i]))
	}
	lines, runErr := n.execute()
	res := make([]result, len(cmds))
	for i := range p.cmds {
		nc := &p.cmds[i]
		res[i] = nc.res
		if nc.step >= 0 {
			res[i] = p.collect(nc, lines, runErr)
		}
	}
	return res, nil
}

// addInput adds a lowered module to the program and returns its index.
func (p *plan) addInput(name string, m *ir.Module) int {
	p.inputs = append(p.inputs, driver.Input{Name: name, Module: m})
	return len(p.inputs) - 1
}

// lower loads and lowers a module of the script. A module that lowering does not support
// is an *unsupported error.
func (n *native) lower(d *wat.ModuleDef) (*ir.Module, error) {
	fm, err := n.r.load(d)
	if err != nil {
		return nil, err
	}
	m, err := driver.Lower(fm, n.cfg.Options.ISA)
	var ue *frontend.UnsupportedError
	if errors.As(err, &ue) {
		return nil, &unsupported{err.Error()}
	}
	return m, err
}

// instantiate lowers and link-checks a module of the script, adding it to the program with
// a step that instantiates it. The error is the module's own (it did not load or lower),
// an *unsupported, or an *instantiationError when it did not link.
func (n *native) instantiate(d *wat.ModuleDef) (*nativeInst, error) {
	p := &n.plan
	m, err := n.lower(d)
	if err != nil {
		return nil, err
	}
	if err := p.linkCheck(m); err != nil {
		return nil, &instantiationError{err}
	}
	in := &nativeInst{m: m, input: p.addInput("", m), initStep: len(p.steps)}
	p.steps = append(p.steps, driver.Step{Kind: driver.StepInit, Input: in.input})
	return in, nil
}

// linkCheck links m against every input before it, as instantiation would, except for
// the minimum sizes of imported memories and tables, which its link check decides.
func (p *plan) linkCheck(m *ir.Module) error {
	var check []ir.LinkInput
	for _, in := range p.inputs {
		check = append(check, ir.LinkInput{Name: in.Name, Module: in.Module})
	}
	check = append(check, ir.LinkInput{Module: m})
	_, err := ir.Link(check, ir.LinkConfig{Entries: []int{len(check) - 1}, RequireResolved: true, DeferMinimums: true})
	return err
}

func (n *native) planCommand(c *wat.Command) nativeCmd {
	p := &n.plan
	nc := nativeCmd{step: -1}
	decided := func(err error) nativeCmd {
		nc.res = result{err: err}
		return nc
	}
	switch c.Kind {
	case wat.CmdModule:
		in, err := n.instantiate(c.Module)
		var ue *unsupported
		switch {
		case errors.As(err, &ue):
			p.define(c.Module.ID, &nativeInst{input: -1, unsupported: ue.why})
			return decided(err)
		case err != nil:
			p.define(c.Module.ID, &nativeInst{input: -1, broken: err.Error()})
			return decided(err)
		}
		p.define(c.Module.ID, in)
		nc.step, nc.inst, nc.defines = in.initStep, in, true
		return nc
	case wat.CmdRegister:
		in, err := p.lookup(c.ModuleID)
		switch {
		case err != nil:
			return decided(err)
		case in.unsupported != "":
			return decided(&unsupported{in.unsupported})
		case in.input < 0:
			return decided(errors.New("module did not instantiate"))
		}
		if old := p.inputs[in.input].Name; old != "" && old != c.Register {
			return decided(fmt.Errorf("the module is registered as %q already; a native program links each module under one name", old))
		}
		p.inputs[in.input].Name = c.Register
		return decided(nil)
	case wat.CmdAction, wat.CmdAssertReturn, wat.CmdAssertTrap, wat.CmdAssertExhaustion:
		if needsSIMD(c) && !driver.SelectsSIMD(n.cfg.Options.ISA) {
			return decided(&unsupported{"v128 results need SIMD"})
		}
		if c.Action == nil { // assert_trap of a module's instantiation
			return n.planInstantiation(c)
		}
		return n.planAction(c)
	case wat.CmdAssertUninstantiable:
		return n.planInstantiation(c)
	case wat.CmdAssertUnlinkable:
		m, err := n.lower(c.Module)
		if err != nil {
			return decided(err)
		}
		if err := p.linkCheck(m); err != nil {
			return decided(err) // a *ir.LinkError, which passes
		}
		if !driver.NeedsLinkCheck(m) {
			return decided(nil) // linked: fails
		}
		// Only the current sizes of its imports can make it unlinkable: the program holds
		// it, and a step runs its link check but never its initialisation.
		nc.step, nc.unlinkable = len(p.steps), true
		p.steps = append(p.steps, driver.Step{Kind: driver.StepLinkCheck, Input: p.addInput("", m)})
		return nc
	}
	return nc
}

// planInstantiation plans assert_trap and assert_uninstantiable of a module: it must
// instantiate up to a trap, whose effects on shared state stay.
func (n *native) planInstantiation(c *wat.Command) nativeCmd {
	nc := nativeCmd{step: -1}
	in, err := n.instantiate(c.Module)
	if err != nil {
		nc.res = result{err: err}
		return nc
	}
	nc.step, nc.inst = in.initStep, in
	return nc
}

func (n *native) planAction(c *wat.Command) nativeCmd {
	p := &n.plan
	nc := nativeCmd{step: -1}
	decided := func(err error) nativeCmd {
		nc.res = result{err: err}
		return nc
	}
	a := c.Action
	in, err := p.lookup(a.ModuleID)
	if err != nil {
		return decided(err)
	}
	nc.inst = in
	switch {
	case in.unsupported != "":
		return decided(&unsupported{in.unsupported})
	case in.input < 0:
		return decided(errors.New("module did not instantiate: " + in.broken))
	case simdArgs(a) && !driver.SelectsSIMD(n.cfg.Options.ISA):
		return decided(&unsupported{"v128 arguments need SIMD"})
	}
	s := driver.Step{Kind: driver.StepInvoke, Input: in.input, Export: a.Name}
	if a.Kind == wat.Get {
		g, ok := in.m.Export(a.Name, ir.ExternGlobal)
		if !ok {
			return decided(fmt.Errorf("no exported global %q", a.Name))
		}
		s.Kind = driver.StepGet
		nc.results = []ir.Type{in.m.Globals[g].Type}
	} else {
		f, ok := in.m.Export(a.Name, ir.ExternFunc)
		if !ok {
			return decided(fmt.Errorf("no exported function %q", a.Name))
		}
		sig := in.m.Funcs[f].Sig
		if len(sig.Params) != len(a.Args) {
			return decided(fmt.Errorf("%s takes %d arguments, the script passes %d", a.Name, len(sig.Params), len(a.Args)))
		}
		for i, t := range sig.Params {
			if t != irType(a.Args[i].Type) {
				return decided(fmt.Errorf("%s: argument %d is %v, the script passes %v", a.Name, i, t, a.Args[i].Type))
			}
			s.Args = append(s.Args, nativeArg(a.Args[i]))
		}
		for _, t := range sig.Results {
			if t == ir.V128 && !driver.SelectsSIMD(n.cfg.Options.ISA) {
				return decided(&unsupported{"v128 results need SIMD"})
			}
		}
		nc.results = sig.Results
	}
	nc.step = len(p.steps)
	p.steps = append(p.steps, s)
	return nc
}

// nativeArg is a script argument as a driver.Step takes it: a reference as its bits in the
// executable, 0 for null and N+1 for (ref.extern N).
func nativeArg(v wat.Value) ir.Val {
	a := ir.Val{Type: irType(v.Type), Bits: v.Bits}
	if v.Type == frontend.V128 {
		a.Bits = endian.LittleEndian.Uint64(v.V128[:8])
		a.Hi = endian.LittleEndian.Uint64(v.V128[8:])
	}
	if v.Type.IsRef() {
		a.Bits = 0
		if !v.Null {
			a.Bits = uint64(v.Ref) + 1
		}
	}
	return a
}

func (p *plan) define(id string, in *nativeInst) {
	p.current = in
	if id != "" {
		p.byID[id] = in
	}
}

func (p *plan) lookup(id string) (*nativeInst, error) {
	if id == "" {
		if p.current == nil {
			return nil, errors.New("no module defined yet")
		}
		return p.current, nil
	}
	in, ok := p.byID[id]
	if !ok {
		return nil, fmt.Errorf("unknown module %s", id)
	}
	return in, nil
}

// execute builds and runs the script's executable and returns its output lines, one per
// step after the runtime's own initialisation.
func (n *native) execute() ([]string, error) {
	o := n.cfg.Options
	o.Script = &driver.Script{Steps: n.plan.steps}
	exe, err := driver.Build(n.plan.inputs, o)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	path := filepath.Join(n.cfg.Dir, strings.TrimSuffix(filepath.Base(n.r.path), ".wast"))
	if err := os.WriteFile(path, exe, 0o755); err != nil {
		return nil, err
	}
	// Natively or, for another architecture, under its emulator (internal/runexe); darwin
	// executables through the loader, built once into Dir.
	r, err := runexe.ForOS(o.OS.String(), o.ISA.Arch().String(), n.cfg.Dir)
	if n.cfg.CPU != "" {
		r, err = runexe.ForCPU(o.ISA.Arch().String(), n.cfg.CPU)
	}
	if err != nil {
		return nil, err
	}
	// A generous bound that only a hung executable reaches; emulation is several times
	// slower.
	timeout := 2 * time.Minute
	if r.Emulator != "" {
		timeout *= 5
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := r.CommandContext(ctx, path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var lines []string
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) > 0 {
		lines = lines[1:] // the runtime's initialisation
	}
	if runErr != nil {
		msg := strings.TrimSpace(stderr.String())
		return lines, fmt.Errorf("the executable stopped after %d of %d steps: %v %s", len(lines), len(n.plan.steps), runErr, msg)
	}
	return lines, nil
}

// collect reads what a command's step reported ("ok …" or "trap CODE"; rtlib/c/driver.c).
// Commands are collected in script order, so a module whose instantiation trapped is
// broken for the commands after it.
func (p *plan) collect(nc *nativeCmd, lines []string, runErr error) result {
	if nc.inst != nil && nc.inst.broken != "" && !nc.defines {
		return result{err: errors.New("module did not instantiate: " + nc.inst.broken)}
	}
	if nc.step >= len(lines) {
		if runErr == nil {
			runErr = errors.New("no output")
		}
		return result{err: runErr}
	}
	line := lines[nc.step]
	if code, ok := strings.CutPrefix(line, "trap "); ok {
		k, _ := strconv.Atoi(code)
		trap := &ir.Trap{Code: ir.TrapCode(k)}
		if nc.defines {
			nc.inst.broken = describe(trap)
			return result{err: &instantiationError{trap}}
		}
		return result{err: trap}
	}
	vals, ok := strings.CutPrefix(line, "ok")
	if !ok {
		return result{err: fmt.Errorf("driver output %q", line)}
	}
	switch {
	case nc.unlinkable && vals == " 0":
		return result{err: &ir.LinkError{Msg: "incompatible import type", Detail: "an imported memory or table is smaller than the module's minimum"}}
	case nc.unlinkable:
		return result{}
	case nc.inst != nil && nc.step == nc.inst.initStep && vals == " 0":
		err := errors.New("incompatible import type: an imported memory or table is smaller than the module's minimum")
		nc.inst.broken = err.Error()
		return result{err: &instantiationError{err}}
	}
	// A v128 comes as two words, low then high (driver/script.go).
	fields := strings.Fields(vals)
	words := make([]uint64, len(fields))
	for i, f := range fields {
		bits, err := strconv.ParseUint(f, 16, 64)
		if err != nil {
			return result{err: fmt.Errorf("driver output %q", line)}
		}
		words[i] = bits
	}
	got := make([]ir.Val, len(nc.results))
	for i, t := range nc.results {
		n := 1
		if t == ir.V128 {
			n = 2
		}
		if len(words) < n {
			return result{err: fmt.Errorf("driver output %q: too few values for %d results", line, len(nc.results))}
		}
		got[i] = nativeVal(t, words[0])
		if t == ir.V128 {
			got[i].Hi = words[1]
		}
		words = words[n:]
	}
	if len(words) != 0 {
		return result{err: fmt.Errorf("driver output %q: too many values for %d results", line, len(nc.results))}
	}
	return result{values: got}
}

// nativeVal turns a result's bits in the executable into the interpreter's value form, so
// that judge serves both executors: externref N travels as N+1 (0 is null), a funcref as
// its descriptor's address.
func nativeVal(t ir.Type, bits uint64) ir.Val {
	v := ir.Val{Type: t, Bits: bits}
	switch t {
	case ir.ExternRef:
		v.Bits = 0
		if bits != 0 {
			v.Ref = hostRef(uint32(bits - 1))
		}
	case ir.FuncRef:
		v.Bits = 0
		if bits != 0 {
			v.Ref = nativeFuncRef(bits)
		}
	}
	return v
}
