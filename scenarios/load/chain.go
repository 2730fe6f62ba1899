package load

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// sessionHeader carries a request's session index from the targeter to the
// RoundTripper, which takes it out before the request leaves.
const sessionHeader = "X-Authprobe-Session"

// Bounds on the run's own goroutines: an injection that finds its slots all taken is not
// sent, and a session that cannot be replaced at once leaves the pool.
const (
	maxInjecting = 64 // injected reuses and races in flight
	maxReplacing = 16 // sign-ins replacing sessions that can no longer refresh
)

// chain ties vegeta's requests to sessions: its targeter hands each request an idle
// session's token, and as an http.RoundTripper it takes each answer's new token back into
// the session. It also sends the injected reuses and races.
type chain struct {
	pool    *Pool
	shape   *shape
	answers *answerReader
	count   *counters
	base    *http.Transport // the transport that sends requests
	timeout time.Duration
	buffers *sync.Pool // of the taps' buffers

	reuse, race share
	hits        atomic.Uint64 // targeter calls, which pick races
	rotations   atomic.Uint64 // rotations, which pick reuses
	injecting   chan struct{} // a slot per injection in flight
	replacing   chan struct{} // a slot per replacement sign-in in flight
	background  sync.WaitGroup
	// signIn signs a new session in and returns its refresh token; nil when the run has
	// no way to (no mockgoogle URL), and sessions that can no longer refresh just leave.
	signIn func(context.Context) (string, error)
	// ctx is the run's: injections are sent on it, so that an interrupted run cancels
	// them. (The targeter and the RoundTripper are vegeta's callbacks and get none.)
	ctx context.Context
}

var _ http.RoundTripper = (*chain)(nil)

// targeter is the vegeta.Targeter of the attack. It waits for an idle session when all
// are busy, and fails once the attack is over or no session is left.
func (c *chain) targeter(t *vegeta.Target) error {
	if c.race.picks(c.hits.Add(1)) {
		c.startRace()
	}
	id, err := c.pool.acquire()
	if err != nil {
		return err
	}
	body, h, err := c.shape.request(c.pool.sessions[id].cur, 1)
	if err != nil {
		c.pool.release(id)
		return err
	}
	h[sessionHeader] = []string{strconv.FormatUint(uint64(id), 10)}
	t.Method, t.URL, t.Body, t.Header = http.MethodPost, c.shape.url, body, h
	return nil
}

// RoundTrip sends a request and, when it is one of the attack's, watches its answer go
// by to settle the session that sent it.
func (c *chain) RoundTrip(req *http.Request) (*http.Response, error) {
	ids := req.Header[sessionHeader]
	if len(ids) != 1 {
		return c.base.RoundTrip(req)
	}
	// vegeta builds a fresh request for every hit and never reuses it, so taking our
	// header out of it, instead of out of a copy, is safe and saves a copy per request.
	delete(req.Header, sessionHeader)
	n, err := strconv.ParseUint(ids[0], 10, 32)
	if err != nil || int(n) >= len(c.pool.sessions) {
		return c.base.RoundTrip(req)
	}
	id := uint32(n)

	// The timeout is ours, not http.Client's: a Client with a Timeout and a RoundTripper
	// it does not know runs a goroutine and a timer per request to enforce it.
	ctx, cancel := context.WithTimeout(req.Context(), c.timeout)
	resp, err := c.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		c.settle(id, answer{})
		return nil, err
	}
	resp.Body = newTap(c, id, resp, cancel)
	return resp, nil
}

// settle takes a session's answer in and frees the session, or drops it when it can no
// longer refresh.
func (c *chain) settle(id uint32, a answer) {
	s := &c.pool.sessions[id]
	v, unexpected := c.answers.judge(a)
	if unexpected {
		c.count.unexpected.Add(1)
	}
	switch v {
	case refused:
		c.end(id)
		return
	case failed:
		s.tainted = true
	case rotated:
		if a.refresh == "" || a.refresh == s.cur {
			break
		}
		old := s.cur
		s.cur = a.refresh
		if c.reuse.picks(c.rotations.Add(1)) && c.startReuse(id, old) {
			return // the reuse frees the session when its answer is in
		}
	}
	c.pool.release(id)
}

// share picks a share of events, evenly and without randomness: the n-th event (from 1)
// is picked when n times the share passes a whole number.
type share float64

func (r share) picks(n uint64) bool {
	return r > 0 && uint64(float64(n)*float64(r)) != uint64(float64(n-1)*float64(r))
}
