package mockgoogle

import (
	"sync"
	"time"
)

// clock is the server's time: the configured time source moved forward by Advance.
type clock struct {
	base func() time.Time

	mu     sync.Mutex
	offset time.Duration
}

func newClock(now func() time.Time) *clock {
	if now == nil {
		now = time.Now
	}
	return &clock{base: now}
}

// now returns the server's current time.
func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base().Add(c.offset)
}

// advance moves the clock forward by d and returns the new time.
func (c *clock) advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
	return c.base().Add(c.offset)
}
