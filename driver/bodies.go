package driver

import (
	"time"

	"github.com/wasmc/wasmc/frontend"
)

// bodyCheck validates a command's function bodies while the build goes on (issue 21):
// the bodies are most of validation's work, and checked before anything else they keep
// one core busy while the other waits. One goroutine checks them in order, from the
// moment the rest of the module is found valid; a codegen worker that reaches a body
// before it checks that body itself (frontend.LowerUnchecked), so nothing is lowered
// unchecked, and no body is checked twice.
//
// The build's result waits for the goroutine: a module with an invalid body gets the
// error Load gives it, the first body's in order, whatever else failed after loading
// and whatever order the workers took; one without gets its executable only once every
// body, those dead-function elimination drops included, is known valid.
type bodyCheck struct {
	bodies *frontend.Bodies
	done   chan struct{}
	err    error         // the module's first invalid body's, once done is closed
	took   time.Duration // of the goroutine, for -v
}

func startBodyCheck(bodies *frontend.Bodies) *bodyCheck {
	c := &bodyCheck{bodies: bodies, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		start := time.Now()
		c.err = bodies.First()
		c.took = time.Since(start)
	}()
	return c
}

// wait waits for every body to be checked and returns the first invalid one's error.
func (c *bodyCheck) wait() error {
	<-c.done
	return c.err
}
