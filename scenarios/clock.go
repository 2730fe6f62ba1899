package scenarios

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// DefaultMaxWait bounds how long a check may wait real time for expiry when the target
// has no test clock and Config.MaxWait is 0.
const DefaultMaxWait = 10 * time.Minute

// progressEvery is how often the progress line repeats while checks wait.
const progressEvery = 15 * time.Second

// clock makes time pass for the target: by moving its test clock (and mockgoogle's), or
// by waiting real time, with a progress line while checks wait.
type clock struct {
	url     string // the target's test clock; empty: real time
	google  *Google
	http    *http.Client
	maxWait time.Duration
	// sleep waits d or until ctx ends; tests may replace it.
	sleep func(ctx context.Context, d time.Duration) error

	progress io.Writer // nil: no progress lines
	mu       sync.Mutex
	waits    map[*waitEntry]struct{}
	ticking  bool
}

type waitEntry struct {
	why   string
	until time.Time
}

// advance moves the target's test clock and then mockgoogle's by d.
func (c *clock) advance(ctx context.Context, d time.Duration) error {
	body := fmt.Appendf(nil, `{"advance":%q}`, d.String())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("scenarios: move the target's clock: %w", err)
	}
	req.Header.Set("Content-Type", jsonType)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("scenarios: move the target's clock: %w", transportError(err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("scenarios: move the target's clock: %s answered %d", c.url,
			resp.StatusCode)
	}
	if err := c.google.Advance(ctx, d); err != nil {
		return fmt.Errorf("scenarios: move mockgoogle's clock with the target's: %w", err)
	}
	return nil
}

// wait waits d of real time, showing progress while any check waits.
func (c *clock) wait(ctx context.Context, d time.Duration, why string) error {
	w := &waitEntry{why: why, until: time.Now().Add(d)}
	c.mu.Lock()
	if c.waits == nil {
		c.waits = make(map[*waitEntry]struct{})
	}
	c.waits[w] = struct{}{}
	if c.progress != nil && !c.ticking {
		c.ticking = true
		go c.tick()
	}
	c.mu.Unlock()

	defer func() {
		c.mu.Lock()
		delete(c.waits, w)
		c.mu.Unlock()
	}()
	return c.sleep(ctx, d)
}

// tick prints the progress line until no check waits any more.
func (c *clock) tick() {
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for {
		c.mu.Lock()
		n, longest, why := len(c.waits), time.Duration(0), ""
		for w := range c.waits {
			if left := time.Until(w.until); left > longest {
				longest, why = left, w.why
			}
		}
		if n == 0 {
			c.ticking = false
			c.mu.Unlock()
			return
		}
		fmt.Fprintf(c.progress, "authprobe: %d check(s) waiting real time for expiry; "+
			"%s left for %s\n", n, longest.Round(time.Second), why)
		c.mu.Unlock()
		<-t.C
	}
}

// sleepContext waits d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("scenarios: wait interrupted: %w", ctx.Err())
	}
}
