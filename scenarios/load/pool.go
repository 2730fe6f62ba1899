package load

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// errStopped is what acquire returns once the attack is over, and errNoSessions once every
// session has been lost or retired.
var (
	errStopped    = errors.New("load: attack stopped")
	errNoSessions = errors.New("load: no live session left")
)

// session is one signed-in user's refresh chain. It is kept small on purpose: 100,000 of
// them must fit, tokens included, in well under 150 MB. Only the holder of its index,
// taken from the pool's free list, reads or writes it; handing the index back through
// the channel orders those accesses.
type session struct {
	cur  string // the refresh token to send next
	prev string // the token cur replaced; "" before the first rotation
	// tainted marks a chain that something other than the backend's fault may have
	// revoked: an injected reuse or race, a timeout or a server error. A refusal of a
	// tainted session retires it instead of counting it as lost.
	tainted bool
}

// Pool holds the sessions of a run and hands them out one request at a time, so that a
// session never has two refreshes of its own in flight. Sessions that can no longer
// refresh (lost or retired) leave it for good.
//
// Add fills the pool before an attack; the rest is safe for concurrent use.
type Pool struct {
	sessions []session
	added    atomic.Uint32
	alive    atomic.Int64
	free     chan uint32

	done     chan struct{} // closed by stop or when the last session leaves
	doneOnce sync.Once
	// dead records why done was closed: errStopped or errNoSessions.
	dead atomic.Pointer[error]
}

// NewPool returns an empty pool for up to capacity sessions.
func NewPool(capacity int) *Pool {
	return &Pool{
		sessions: make([]session, capacity),
		free:     make(chan uint32, capacity),
		done:     make(chan struct{}),
	}
}

// Add puts a signed-in session, given by its refresh token, in the pool. It is safe for
// concurrent use with other calls of Add, not with an attack on the pool. It fails when
// the pool is full.
func (p *Pool) Add(refresh string) error {
	i := p.added.Add(1) - 1
	if int(i) >= len(p.sessions) {
		p.added.Add(^uint32(0))
		return fmt.Errorf("load: pool full at %d sessions", len(p.sessions))
	}
	p.sessions[i].cur = refresh
	p.alive.Add(1)
	p.free <- i
	return nil
}

// Len returns the number of sessions added to the pool.
func (p *Pool) Len() int { return int(p.added.Load()) }

// Alive returns the number of sessions that can still refresh.
func (p *Pool) Alive() int { return int(p.alive.Load()) }

// acquire takes an idle session, waiting for one when all are busy. It fails with
// errStopped after stop, and with errNoSessions once no session is left alive.
func (p *Pool) acquire() (uint32, error) {
	select {
	case id := <-p.free:
		return id, nil
	case <-p.done:
		return 0, *p.dead.Load()
	}
}

// tryAcquire takes an idle session if one is ready at once.
func (p *Pool) tryAcquire() (uint32, bool) {
	select {
	case id := <-p.free:
		return id, true
	default:
		return 0, false
	}
}

// release hands a session back after its answer was taken in.
func (p *Pool) release(id uint32) { p.free <- id }

// drop removes a session for good: it was lost or retired. The last one to go ends the
// attack.
func (p *Pool) drop(id uint32) {
	p.sessions[id] = session{}
	if p.alive.Add(-1) == 0 {
		p.finish(errNoSessions)
	}
}

// stopped reports whether the attack on the pool is over.
func (p *Pool) stopped() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop wakes every request waiting for a session: the attack is over.
func (p *Pool) stop() { p.finish(errStopped) }

func (p *Pool) finish(cause error) {
	p.doneOnce.Do(func() {
		p.dead.Store(&cause)
		close(p.done)
	})
}

// reset makes a stopped pool usable for another attack; its live sessions stay.
func (p *Pool) reset() {
	p.done = make(chan struct{})
	p.doneOnce = sync.Once{}
	p.dead.Store(nil)
}
