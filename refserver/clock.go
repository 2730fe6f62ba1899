package refserver

import (
	"sync/atomic"
	"time"
)

// clock is the server's time: the configured clock plus whatever the test clock has added.
// It is safe for concurrent use.
type clock struct {
	base   func() time.Time
	offset atomic.Int64 // nanoseconds added by the test clock
}

// now returns the server's current time.
func (c *clock) now() time.Time {
	return c.base().Add(time.Duration(c.offset.Load()))
}

// advance moves the clock forward by d and returns the new time.
func (c *clock) advance(d time.Duration) time.Time {
	c.offset.Add(int64(d))
	return c.now()
}
