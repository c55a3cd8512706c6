package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wasmc/wasmc/amd64"
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
	"github.com/wasmc/wasmc/ir"
)

// A .wast script as one native executable (DESIGN.md decision 11). Planning walks the
// script once: every module that loads, lowers and links becomes an input of one program,
// and every command that needs execution becomes a step, a generated function that runs it
// and reports through the runtime's driver routines: "ok" and the results' bits, or
// "trap CODE" when the entry's trap routine unwound it. The executable runs all steps in one
// process; deciding then reads its output line by line, one line per step, and compares
// each result with the script's expectation here, NaN classes included.

// nativeWast holds what one script's run needs.
type nativeWast struct {
	r      *wastRunner
	target backend.Target
	level  int
	tmp    string // directory for the executable

	inputs    []ir.LinkInput
	byID      map[string]*nativeInst
	current   *nativeInst
	steps     []step
	cmds      []nativeCmd
	spectestN int // inputs[spectestN] is the spectest module
}

// nativeInst is one module instance of the script.
type nativeInst struct {
	input       int        // index in inputs, -1 if not part of the program
	prefix      string     // its exports' prefix in the linked module
	m           *ir.Module // lowered, before linking
	unsupported string
	broken      string // why commands on it fail
	initStep    int    // the step that instantiates it
}

// stepKind says what a step's function does.
type stepKind uint8

const (
	stepInit      stepKind = iota + 1 // call an input's init function
	stepInvoke                        // call an export with constant arguments
	stepGet                           // read an exported global
	stepLinkCheck                     // report whether an input's imports are big enough (1 or 0)
)

// step is one generated function of the driver.
type step struct {
	kind   stepKind
	export string // the linked module's export: init, function or global
	check  string // stepInit, stepLinkCheck: the input's link check export, if it has one
	args   []wat.Value
}

// nativeCmd is one script command and how it is decided.
type nativeCmd struct {
	c        *wat.Command
	step     int // -1: decided at planning
	outcome  outcome
	msg      string
	inst     *nativeInst // the instance the command acts on, or instantiates
	defines  bool        // a module command: a trap in its step breaks inst
	results  []ir.Type
	wantTrap bool
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

// runNative runs script natively and reports into t.
func (n *nativeWast) run(script *wat.Script, t *wastTally) {
	if err := n.plan(script); err != nil {
		n.r.fail(fmt.Sprintf("%s: %v", n.r.path, err))
		t.failed++
		return
	}
	lines, runErr := n.execute()
	n.decide(lines, runErr, t)
}

// addInput adds a lowered module to the program.
func (n *nativeWast) addInput(name string, m *ir.Module) int {
	n.inputs = append(n.inputs, ir.LinkInput{Name: name, Module: m, ExportAs: fmt.Sprintf("m%d:", len(n.inputs))})
	return len(n.inputs) - 1
}

func (n *nativeWast) plan(script *wat.Script) error {
	n.byID = map[string]*nativeInst{}
	fm, err := wat.ParseModule("spectest", []byte(spectestWat))
	if err != nil {
		return fmt.Errorf("internal error: spectest: %w", err)
	}
	st, err := lowerModule(fm, false)
	if err != nil {
		return fmt.Errorf("internal error: spectest: %w", err)
	}
	n.spectestN = n.addInput("spectest", st)
	n.steps = append(n.steps, step{kind: stepInit, export: n.inputs[n.spectestN].ExportAs + initExport})
	for i := range script.Commands {
		n.cmds = append(n.cmds, n.planCommand(&script.Commands[i]))
	}
	return nil
}

// instantiate loads, lowers and link-checks a module of the script, adding it to the
// program with a step that instantiates it. A nil instance with a message means the
// command fails (or, for unsupported, skips) at planning; linkErr reports a link failure.
func (n *nativeWast) instantiate(d *wat.ModuleDef) (in *nativeInst, linkErr error, err error) {
	fm, err := n.r.load(d)
	if err != nil {
		return nil, nil, err
	}
	m, err := lowerModule(fm, false)
	if isUnsupported(err) {
		return &nativeInst{input: -1, unsupported: err.Error()}, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	hasCheck := addLinkCheck(m)
	if err := n.linkCheck(m); err != nil {
		return nil, err, nil
	}
	in = &nativeInst{m: m, input: n.addInput("", m)}
	in.prefix = n.inputs[in.input].ExportAs
	in.initStep = len(n.steps)
	s := step{kind: stepInit, export: in.prefix + initExport}
	if hasCheck {
		s.check = in.prefix + linkCheckExport
	}
	n.steps = append(n.steps, s)
	return in, nil, nil
}

// linkCheck links m against every input before it, as instantiation would, except for
// the minimum sizes of imported memories and tables, which its link check decides.
func (n *nativeWast) linkCheck(m *ir.Module) error {
	check := append(append([]ir.LinkInput(nil), n.inputs...), ir.LinkInput{Module: m})
	_, err := ir.Link(check, ir.LinkConfig{Entries: []int{len(check) - 1}, RequireResolved: true, DeferMinimums: true})
	return err
}

func (n *nativeWast) planCommand(c *wat.Command) nativeCmd {
	nc := nativeCmd{c: c, step: -1}
	decided := func(o outcome, msg string) nativeCmd {
		nc.outcome, nc.msg = o, msg
		return nc
	}
	switch c.Kind {
	case wat.CmdModule:
		in, linkErr, err := n.instantiate(c.Module)
		switch {
		case err != nil:
			n.define(c.Module.ID, &nativeInst{input: -1, broken: err.Error()})
			return decided(failed, "module: "+err.Error())
		case linkErr != nil:
			n.define(c.Module.ID, &nativeInst{input: -1, broken: linkErr.Error()})
			return decided(failed, "module: instantiation: "+linkErr.Error())
		}
		n.define(c.Module.ID, in)
		if in.unsupported != "" {
			return decided(skipped, "")
		}
		nc.step, nc.inst, nc.defines = in.initStep, in, true
		return nc
	case wat.CmdRegister:
		in, err := n.lookup(c.ModuleID)
		if err != nil {
			return decided(failed, "register: "+err.Error())
		}
		if in.input < 0 {
			if in.unsupported != "" {
				return decided(skipped, "")
			}
			return decided(failed, "register: module did not instantiate")
		}
		if old := n.inputs[in.input].Name; old != "" && old != c.Register {
			return decided(failed, fmt.Sprintf("register: the module is registered as %q already; a native program links each module under one name", old))
		}
		n.inputs[in.input].Name = c.Register
		return decided(passed, "")
	case wat.CmdAction, wat.CmdAssertReturn, wat.CmdAssertTrap, wat.CmdAssertExhaustion:
		if c.Action == nil { // assert_trap on instantiation
			return n.planInstantiationTrap(c)
		}
		for _, e := range c.Expected {
			if e.Type == frontend.V128 {
				return decided(skipped, "")
			}
		}
		return n.planAction(c)
	case wat.CmdAssertUninstantiable:
		return n.planInstantiationTrap(c)
	case wat.CmdAssertUnlinkable:
		m, linkErr, err := n.instantiateUnlinked(c.Module)
		switch {
		case err != nil && isUnsupportedMsg(err):
			return decided(skipped, "")
		case err != nil:
			return decided(failed, fmt.Sprintf("assert_unlinkable (%q): %v", c.Text, err))
		case linkErr != nil:
			return decided(passed, "")
		case !addLinkCheck(m):
			return decided(failed, fmt.Sprintf("assert_unlinkable (%q): module linked", c.Text))
		}
		// Only the current sizes of its imports can make it unlinkable: the program holds
		// it, and a step runs its link check but never its initialisation.
		in := n.addInput("", m)
		nc.step, nc.unlinkable = len(n.steps), true
		n.steps = append(n.steps, step{kind: stepLinkCheck, check: n.inputs[in].ExportAs + linkCheckExport})
		return nc
	}
	o, msg := n.r.decide(c)
	return decided(o, msg)
}

// errUnsupportedModule marks a module that lowering does not support.
var errUnsupportedModule = errors.New("unsupported")

func isUnsupportedMsg(err error) bool { return errors.Is(err, errUnsupportedModule) }

// instantiateUnlinked link-checks a module without adding it to the program.
func (n *nativeWast) instantiateUnlinked(d *wat.ModuleDef) (*ir.Module, error, error) {
	fm, err := n.r.load(d)
	if err != nil {
		return nil, nil, err
	}
	m, err := lowerModule(fm, false)
	if isUnsupported(err) {
		return nil, nil, fmt.Errorf("%w: %v", errUnsupportedModule, err)
	}
	if err != nil {
		return nil, nil, err
	}
	linkErr := n.linkCheck(m)
	var le *ir.LinkError
	if linkErr != nil && !errors.As(linkErr, &le) {
		return nil, nil, linkErr
	}
	return m, linkErr, nil
}

// planInstantiationTrap plans assert_trap and assert_uninstantiable of a module: it must
// instantiate up to a trap, whose effects on shared state stay.
func (n *nativeWast) planInstantiationTrap(c *wat.Command) nativeCmd {
	nc := nativeCmd{c: c, step: -1, wantTrap: true}
	in, linkErr, err := n.instantiate(c.Module)
	switch {
	case err != nil:
		nc.outcome, nc.msg = failed, "module: "+err.Error()
	case linkErr != nil:
		nc.outcome, nc.msg = failed, fmt.Sprintf("assert_trap (%q): module did not link: %v", c.Text, linkErr)
	case in.unsupported != "":
		nc.outcome = skipped
	default:
		nc.step, nc.inst = in.initStep, in
	}
	return nc
}

func (n *nativeWast) planAction(c *wat.Command) nativeCmd {
	nc := nativeCmd{c: c, step: -1, wantTrap: c.Kind == wat.CmdAssertTrap || c.Kind == wat.CmdAssertExhaustion}
	a := c.Action
	in, err := n.lookup(a.ModuleID)
	if err != nil {
		nc.outcome, nc.msg = failed, err.Error()
		return nc
	}
	nc.inst = in
	switch {
	case in.unsupported != "":
		nc.outcome = skipped
		return nc
	case in.input < 0:
		nc.outcome, nc.msg = failed, "module did not instantiate: "+in.broken
		return nc
	}
	for _, v := range a.Args {
		if v.Type == frontend.V128 {
			nc.outcome = skipped
			return nc
		}
	}
	x, ok := findExport(in.m, a.Name)
	if !ok {
		nc.outcome, nc.msg = failed, fmt.Sprintf("no export %q", a.Name)
		return nc
	}
	s := step{kind: stepInvoke, export: in.prefix + a.Name, args: a.Args}
	switch {
	case a.Kind == wat.Get && x.Kind == ir.ExternGlobal:
		s.kind = stepGet
		nc.results = []ir.Type{in.m.Globals[x.Index].Type}
	case a.Kind == wat.Invoke && x.Kind == ir.ExternFunc:
		sig := in.m.Funcs[x.Index].Sig
		if len(sig.Params) != len(a.Args) {
			nc.outcome, nc.msg = failed, fmt.Sprintf("%s takes %d arguments, the script passes %d", a.Name, len(sig.Params), len(a.Args))
			return nc
		}
		for i, p := range sig.Params {
			if p != irType(a.Args[i].Type) {
				nc.outcome, nc.msg = failed, fmt.Sprintf("%s: argument %d is %v, the script passes %v", a.Name, i, p, a.Args[i].Type)
				return nc
			}
		}
		for _, r := range sig.Results {
			if r == ir.V128 {
				nc.outcome = skipped
				return nc
			}
			nc.results = append(nc.results, r)
		}
	default:
		nc.outcome, nc.msg = failed, fmt.Sprintf("export %q is not a %s", a.Name, map[wat.ActionKind]string{wat.Get: "global", wat.Invoke: "function"}[a.Kind])
		return nc
	}
	nc.step = len(n.steps)
	n.steps = append(n.steps, s)
	return nc
}

func (n *nativeWast) define(id string, in *nativeInst) {
	n.current = in
	if id != "" {
		n.byID[id] = in
	}
}

func (n *nativeWast) lookup(id string) (*nativeInst, error) {
	if id == "" {
		if n.current == nil {
			return nil, errors.New("no module defined yet")
		}
		return n.current, nil
	}
	in, ok := n.byID[id]
	if !ok {
		return nil, fmt.Errorf("unknown module %s", id)
	}
	return in, nil
}

// findExport finds a lowered module's export.
func findExport(m *ir.Module, name string) (ir.Export, bool) {
	for _, x := range m.Exports {
		if x.Name == name {
			return x, true
		}
	}
	return ir.Export{}, false
}

// build links the program, generates the steps' functions and compiles the executable.
func (n *nativeWast) build() ([]byte, error) {
	rt, err := runtimeModule(runtimeKeep(rtDriverValue, rtDriverDone, rtDriverTrap))
	if err != nil {
		return nil, err
	}
	inputs := append(append([]ir.LinkInput(nil), n.inputs...), ir.LinkInput{Name: "wasmc_rt", Module: rt, ExportAs: rtPrefix})
	m, err := link(inputs, n.target, -1, nil)
	if err != nil {
		return nil, err
	}
	p := &program{m: m, target: n.target, level: n.level}
	d := newDriverGen(p)
	for _, name := range []string{rtDriverValue, rtDriverDone, rtDriverTrap} {
		if d.rt[name], err = p.exportedFunc(rtPrefix + name); err != nil {
			return nil, err
		}
	}
	entry := amd64.EntryConfig{Driver: true, DriverTrap: d.rt[rtDriverTrap]}
	all := append([]step{{kind: stepInit, export: rtPrefix + initExport}}, n.steps...)
	for i, s := range all {
		f, err := d.stepFunc(i, s)
		if err != nil {
			return nil, err
		}
		entry.Steps = append(entry.Steps, f)
	}
	return compileProgram(p, entry, &phases{})
}

// execute builds and runs the script's executable and returns its output lines, one per
// step after the runtime's own initialisation.
func (n *nativeWast) execute() ([]string, error) {
	exe, err := n.build()
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	path := filepath.Join(n.tmp, strings.TrimSuffix(filepath.Base(n.r.path), ".wast"))
	if err := os.WriteFile(path, exe, 0o755); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path)
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
		return lines, fmt.Errorf("the executable stopped after %d of %d steps: %v %s", len(lines), len(n.steps), runErr, msg)
	}
	return lines, nil
}

// decide compares each command's step output with its expectation.
func (n *nativeWast) decide(lines []string, runErr error, t *wastTally) {
	for i := range n.cmds {
		nc := &n.cmds[i]
		o, msg := nc.outcome, nc.msg
		if nc.step >= 0 {
			o, msg = n.decideStep(nc, lines, runErr)
		}
		switch o {
		case passed:
			t.passed++
		case skipped:
			t.skipped++
		case failed:
			t.failed++
			n.r.fail(fmt.Sprintf("%s:%d: %s", n.r.path, nc.c.Line, msg))
		}
	}
}

func (n *nativeWast) decideStep(nc *nativeCmd, lines []string, runErr error) (outcome, string) {
	c := nc.c
	what := commandName(c)
	if nc.inst != nil && nc.inst.broken != "" && !nc.defines {
		return failed, what + ": module did not instantiate: " + nc.inst.broken
	}
	if nc.step >= len(lines) {
		if runErr == nil {
			runErr = errors.New("no output")
		}
		return failed, fmt.Sprintf("%s: %v", what, runErr)
	}
	line := lines[nc.step]
	if code, ok := strings.CutPrefix(line, "trap "); ok {
		k, _ := strconv.Atoi(code)
		got := ir.TrapCode(k).Message()
		if nc.defines {
			nc.inst.broken = "trap: " + got
			return failed, "module: instantiation: trap: " + got
		}
		if !nc.wantTrap {
			return failed, fmt.Sprintf("%s: trap: %s", what, got)
		}
		want := c.Text
		if !strings.Contains(got, want) && !strings.HasPrefix(want, got) {
			return failed, fmt.Sprintf("%s: trap %q, want %q", what, got, want)
		}
		return passed, ""
	}
	vals, ok := strings.CutPrefix(line, "ok")
	if !ok {
		return failed, fmt.Sprintf("%s: driver output %q", what, line)
	}
	switch {
	case nc.unlinkable && vals == " 0":
		return passed, ""
	case nc.unlinkable:
		return failed, fmt.Sprintf("assert_unlinkable (%q): module linked", c.Text)
	case nc.inst != nil && nc.step == nc.inst.initStep && vals == " 0":
		nc.inst.broken = "incompatible import type: an imported memory or table is smaller than the module's minimum"
		return failed, "module: instantiation: " + nc.inst.broken
	}
	if nc.wantTrap {
		return failed, fmt.Sprintf("%s: no trap, want %q", what, c.Text)
	}
	fields := strings.Fields(vals)
	if len(fields) != len(nc.results) {
		return failed, fmt.Sprintf("%s: %d results, want %d", what, len(fields), len(nc.results))
	}
	got := make([]ir.Val, len(fields))
	for i, f := range fields {
		bits, err := strconv.ParseUint(f, 16, 64)
		if err != nil {
			return failed, fmt.Sprintf("%s: driver output %q", what, line)
		}
		got[i] = nativeVal(nc.results[i], bits)
	}
	if c.Kind != wat.CmdAssertReturn {
		return passed, ""
	}
	if len(got) != len(c.Expected) {
		return failed, fmt.Sprintf("%s: got %s, want %s", what, formatValues(got), formatExpected(c.Expected))
	}
	for i := range got {
		if !match(got[i], c.Expected[i]) {
			return failed, fmt.Sprintf("%s: got %s, want %s", what, formatValues(got), formatExpected(c.Expected))
		}
	}
	return passed, ""
}

// nativeVal turns a result's native bits into the interpreter's value form, so that
// match and formatValues serve both executors: externref N travels as N+1 (0 is null),
// a funcref as its descriptor's address.
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

// nativeFuncRef is a non-null funcref seen from outside the executable.
type nativeFuncRef uint64

func commandName(c *wat.Command) string {
	name := map[wat.CommandKind]string{
		wat.CmdModule: "module", wat.CmdAction: "action", wat.CmdAssertReturn: "assert_return",
		wat.CmdAssertTrap: "assert_trap", wat.CmdAssertExhaustion: "assert_exhaustion",
		wat.CmdAssertUninstantiable: "assert_uninstantiable",
	}[c.Kind]
	if c.Action != nil {
		name += " " + c.Action.Name
	}
	return name
}
