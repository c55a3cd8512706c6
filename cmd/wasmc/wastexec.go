package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
	"github.com/wasmc/wasmc/ir"
)

// execute decides the commands that need execution; done is false for those the
// validation level decides alone (assert_malformed, assert_invalid).
func (r *wastRunner) execute(c *wat.Command) (o outcome, msg string, done bool) {
	x := r.exec
	switch c.Kind {
	case wat.CmdModule:
		m, err := r.load(c.Module)
		if err != nil {
			return failed, "module: " + err.Error(), true
		}
		in, err := x.instantiate(m)
		if err != nil {
			// Commands on this module fail too: a broken module is never a skip.
			x.define(c.Module.ID, &instance{broken: err.Error()})
			return failed, "module: instantiation: " + err.Error(), true
		}
		x.define(c.Module.ID, in)
		if in.inst == nil {
			return skipped, "", true
		}
		return passed, "", true
	case wat.CmdRegister:
		in, err := x.lookup(c.ModuleID)
		if err != nil {
			return failed, "register: " + err.Error(), true
		}
		x.registered[c.Register] = in
		if in.broken != "" {
			return failed, "register: module did not instantiate", true
		}
		if in.inst == nil {
			return skipped, "", true
		}
		return passed, "", true
	case wat.CmdAction:
		_, err := x.act(c.Action)
		return verdict(err, "action %s", c.Action.Name)
	case wat.CmdAssertReturn:
		for _, e := range c.Expected {
			if e.Type == frontend.V128 {
				return skipped, "", true
			}
		}
		got, err := x.act(c.Action)
		if err != nil {
			return verdict(err, "assert_return %s", c.Action.Name)
		}
		if len(got) != len(c.Expected) {
			return failed, fmt.Sprintf("assert_return %s: got %s, want %s", c.Action.Name, formatValues(got), formatExpected(c.Expected)), true
		}
		for i := range got {
			if !match(got[i], c.Expected[i]) {
				return failed, fmt.Sprintf("assert_return %s: got %s, want %s", c.Action.Name, formatValues(got), formatExpected(c.Expected)), true
			}
		}
		return passed, "", true
	case wat.CmdAssertTrap, wat.CmdAssertExhaustion:
		var err error
		what := "assert_trap"
		if c.Kind == wat.CmdAssertExhaustion {
			what = "assert_exhaustion"
		}
		if c.Action != nil {
			_, err = x.act(c.Action)
			what += " " + c.Action.Name
		} else {
			err = r.instantiateOnly(c.Module)
		}
		return expectTrap(err, c.Text, what)
	case wat.CmdAssertUninstantiable:
		return expectTrap(r.instantiateOnly(c.Module), c.Text, "assert_uninstantiable")
	case wat.CmdAssertUnlinkable:
		err := r.instantiateOnly(c.Module)
		var le *ir.LinkError
		var ue *errUnsupported
		switch {
		case errors.As(err, &ue):
			return skipped, "", true
		case errors.As(err, &le):
			return passed, "", true
		case err == nil:
			return failed, fmt.Sprintf("assert_unlinkable (%q): module linked", c.Text), true
		}
		return failed, fmt.Sprintf("assert_unlinkable (%q): %v", c.Text, err), true
	}
	return 0, "", false
}

// instantiateOnly loads, compiles and instantiates a module that an assertion expects to
// fail; a module that instantiates anyway becomes no script-visible instance, but its
// effects on shared imports stay, as the spec says.
func (r *wastRunner) instantiateOnly(d *wat.ModuleDef) error {
	m, err := r.load(d)
	if err != nil {
		return err
	}
	in, err := r.exec.instantiate(m)
	if err != nil {
		return err
	}
	if in.inst == nil {
		return &errUnsupported{why: in.unsupported}
	}
	return nil
}

// verdict turns the error of a command that should succeed into an outcome.
func verdict(err error, format string, args ...any) (outcome, string, bool) {
	var ue *errUnsupported
	switch {
	case err == nil:
		return passed, "", true
	case errors.As(err, &ue):
		return skipped, "", true
	}
	return failed, fmt.Sprintf(format, args...) + ": " + err.Error(), true
}

// expectTrap checks that err is a trap with the expected message.
func expectTrap(err error, want, what string) (outcome, string, bool) {
	var trap *ir.Trap
	var ue *errUnsupported
	switch {
	case errors.As(err, &ue):
		return skipped, "", true
	case err == nil:
		return failed, fmt.Sprintf("%s: no trap, want %q", what, want), true
	case !errors.As(err, &trap):
		return failed, fmt.Sprintf("%s: want trap %q, got error %v", what, want, err), true
	}
	got := trap.Code.Message()
	if got == "" || !strings.Contains(got, want) && !strings.HasPrefix(want, got) {
		return failed, fmt.Sprintf("%s: trap %q, want %q", what, got, want), true
	}
	return passed, "", true
}
