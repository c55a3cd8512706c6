package main

import (
	"errors"
	"fmt"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
)

// wastRunner decides the commands of one script: at the validation level when exec is
// nil, otherwise by executing them.
type wastRunner struct {
	path string
	src  []byte
	fail func(string)
	exec *interpExec
}

// outcome of one command.
type outcome int

const (
	passed outcome = iota
	failed
	skipped
)

func (r *wastRunner) run(c *wat.Command, t *wastTally) {
	o, msg := r.decide(c)
	switch o {
	case passed:
		t.passed++
	case skipped:
		t.skipped++
	case failed:
		t.failed++
		r.fail(fmt.Sprintf("%s:%d: %s", r.path, c.Line, msg))
	}
}

func (r *wastRunner) decide(c *wat.Command) (outcome, string) {
	if r.exec != nil {
		if o, msg, done := r.execute(c); done {
			return o, msg
		}
	}
	switch c.Kind {
	case wat.CmdModule:
		if _, err := r.load(c.Module); err != nil {
			return failed, "module: " + err.Error()
		}
		return passed, ""
	case wat.CmdAssertMalformed:
		m, err := c.Module.Load()
		if err == nil {
			if verr := frontend.Validate(m); verr != nil {
				return failed, fmt.Sprintf("assert_malformed (%q): decoded, then rejected by the validator instead: %v", c.Text, verr)
			}
			return failed, fmt.Sprintf("assert_malformed (%q): module decoded and validated", c.Text)
		}
		if !isMalformed(err) {
			return failed, fmt.Sprintf("assert_malformed (%q): unexpected error %v", c.Text, err)
		}
		return passed, ""
	case wat.CmdAssertInvalid:
		m, err := c.Module.Load()
		if err != nil {
			return failed, fmt.Sprintf("assert_invalid (%q): module did not decode: %s", c.Text, r.describe(c.Module, err))
		}
		if err := frontend.Validate(m); err == nil {
			return failed, fmt.Sprintf("assert_invalid (%q): module validated", c.Text)
		}
		return passed, ""
	case wat.CmdAssertTrap, wat.CmdAssertUnlinkable, wat.CmdAssertUninstantiable:
		// Deciding these needs execution or linking; what this level can check is that the
		// module itself is sound.
		if c.Module != nil {
			if _, err := r.load(c.Module); err != nil {
				return failed, "module: " + err.Error()
			}
		}
		return skipped, ""
	}
	return skipped, ""
}

// load decodes and validates a script's module, describing errors with positions.
func (r *wastRunner) load(d *wat.ModuleDef) (*frontend.Module, error) {
	m, err := d.Load()
	if err == nil {
		err = frontend.Validate(m)
	}
	if err != nil {
		return nil, errors.New(r.describe(d, err))
	}
	return m, nil
}

// describe formats an error of module d: text modules of the script are positioned in the
// script, quoted ones in their quoted text, binaries by offset.
func (r *wastRunner) describe(d *wat.ModuleDef, err error) string {
	switch d.Kind {
	case wat.ModuleBinary:
		return describeErr(fmt.Sprintf("%s:%d (binary module)", r.path, d.Line), d.Binary, false, err)
	case wat.ModuleQuote:
		return describeErr(fmt.Sprintf("%s:%d (quoted module)", r.path, d.Line), d.Quote, true, err)
	}
	return describeErr(r.path, r.src, true, err)
}

// isMalformed reports whether err is the decoder's or the text parser's.
func isMalformed(err error) bool {
	var de *frontend.DecodeError
	var se *wat.SyntaxError
	return errors.As(err, &de) || errors.As(err, &se)
}
