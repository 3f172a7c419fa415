package delivery

import "time"

// Observer is told what a Dispatcher does, for metrics (shared/metrics implements it).
type Observer interface {
	// Attempt is called after each attempt of a delivery of command.
	Attempt(command string, delivered bool)
	// Delivered is called for each delivery recorded delivered, with the time from its commit.
	Delivered(lag time.Duration)
}

// Observe sets the Observer of d; call it before d runs.
func (d *Dispatcher) Observe(o Observer) { d.obs = o }

type nopObserver struct{}

func (nopObserver) Attempt(string, bool)    {}
func (nopObserver) Delivered(time.Duration) {}
