package load

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
)

// startReuse sends old, the token session id has just rotated out, again, out of band of
// vegeta's results. The session stays busy until the answer is in. It reports false when
// no injection slot was free, and the caller keeps the session.
func (c *chain) startReuse(id uint32, old string) bool {
	if !c.takeSlot(c.injecting) {
		return false
	}
	c.count.reuseSent.Add(1)
	go func() {
		defer c.freeSlot(c.injecting)
		a := c.send(old)

		s := &c.pool.sessions[id]
		v, unexpected := c.answers.judge(a)
		if unexpected {
			c.count.unexpected.Add(1)
		}
		switch {
		// A duplicate inside a grace window gets the successor the session already holds:
		// that is no acceptance.
		case v == rotated && (a.access || a.refresh != "") && a.refresh != s.cur:
			c.count.reuseAccepted.Add(1)
		case v != rotated:
			c.confirm(id) // refusing a reuse may rightly revoke the whole family
			return
		}
		c.pool.release(id)
	}()
	return true
}

// startRace takes an idle session, if one is ready at once, and sends its token twice at
// the same time, out of band of vegeta's results.
func (c *chain) startRace() {
	id, ok := c.pool.tryAcquire()
	if !ok {
		return
	}
	if !c.takeSlot(c.injecting) {
		c.pool.release(id)
		return
	}
	c.count.raceSent.Add(1)
	go func() {
		defer c.freeSlot(c.injecting)
		token := c.pool.sessions[id].cur
		var second answer
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			second = c.send(token)
		}()
		first := c.send(token)
		wg.Wait()
		c.settleRace(id, first, second)
	}()
}

// settleRace takes the answers to a pair of duplicate refreshes into their session.
func (c *chain) settleRace(id uint32, a, b answer) {
	s := &c.pool.sessions[id]
	va, ua := c.answers.judge(a)
	vb, ub := c.answers.judge(b)
	for _, u := range []bool{ua, ub} {
		if u {
			c.count.unexpected.Add(1)
		}
	}
	both := va == rotated && vb == rotated
	if both && a.refresh != "" && b.refresh != "" && a.refresh != b.refresh {
		c.count.forks.Add(1)
	}

	switch {
	case va == refused && vb == refused:
		// Neither copy of a token the backend had issued was honoured: the race alone
		// does not explain that, so this counts as lost unless the chain was tainted.
		c.end(id)
		return
	case va == rotated && a.refresh != "":
		s.cur = a.refresh
	case vb == rotated && b.refresh != "":
		s.cur = b.refresh
	}
	if both {
		c.pool.release(id)
		return
	}
	c.confirm(id) // refusing the loser may rightly revoke the whole family
}

// confirm refreshes a session out of band after an injection whose refusal a backend may
// rightly answer by revoking the session's family, so that vegeta's requests only ever
// carry tokens believed valid. A session refused now is retired (and replaced).
func (c *chain) confirm(id uint32) {
	s := &c.pool.sessions[id]
	s.tainted = true
	a := c.send(s.cur)
	v, unexpected := c.answers.judge(a)
	if unexpected {
		c.count.unexpected.Add(1)
	}
	switch {
	case v == refused:
		c.end(id)
		return
	case v == rotated:
		s.tainted = false // the backend has just shown the chain alive
		if a.refresh != "" {
			s.cur = a.refresh
		}
	}
	c.pool.release(id)
}

// end takes a session whose token was refused out of the attack. It counts as lost
// unless something on its chain may have revoked it, and is replaced by a fresh sign-in
// when one can be made.
func (c *chain) end(id uint32) {
	if c.pool.sessions[id].tainted {
		c.count.retired.Add(1)
	} else {
		c.count.lost.Add(1)
	}
	if c.signIn == nil || c.pool.stopped() || !c.takeSlot(c.replacing) {
		c.pool.drop(id)
		return
	}
	go func() {
		defer c.freeSlot(c.replacing)
		refresh, err := c.signIn(c.ctx)
		if err != nil {
			c.pool.drop(id)
			return
		}
		c.pool.sessions[id] = session{cur: refresh}
		c.count.replaced.Add(1)
		c.pool.release(id)
	}()
}

// send posts a refresh with token outside vegeta and reads the answer, within the
// run's timeout; an interrupted run cancels it.
func (c *chain) send(token string) answer {
	body, header, err := c.shape.request(token, 0)
	if err != nil {
		return answer{}
	}
	ctx, cancel := context.WithTimeout(c.ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.shape.url,
		bytes.NewReader(body))
	if err != nil {
		return answer{}
	}
	req.Header = header
	resp, err := c.base.RoundTrip(req)
	if err != nil {
		return answer{}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return answer{}
	}
	if len(data) > maxAnswer {
		data = nil
	}
	return c.answers.read(resp.StatusCode, resp.Header, data)
}

// takeSlot reserves a slot of sem for a goroutine of the run, and reports false when all
// are taken. Run waits for every slot taken to be freed.
func (c *chain) takeSlot(sem chan struct{}) bool {
	select {
	case sem <- struct{}{}:
		c.background.Add(1)
		return true
	default:
		return false
	}
}

func (c *chain) freeSlot(sem chan struct{}) {
	<-sem
	c.background.Done()
}
