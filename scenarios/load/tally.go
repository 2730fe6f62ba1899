package load

import "sync/atomic"

// Findings counts what went wrong with rotation under load. Its JSON form is the findings
// object of the load report.
type Findings struct {
	// ReuseAccepted counts injected reuses of a rotated-out refresh token that the backend
	// accepted with a new token.
	ReuseAccepted int64 `json:"reuse_accepted"`
	// Forks counts injected duplicate refreshes of one token that both succeeded with
	// different successors.
	Forks int64 `json:"forks"`
	// LostSessions counts sessions whose valid token was refused with nothing on their
	// chain to explain it.
	LostSessions int64 `json:"lost_sessions"`
	// Unexpected counts answers that are neither a token pair nor the profile's refusal.
	Unexpected int64 `json:"unexpected"`
}

// Total returns the number of findings of every kind.
func (f Findings) Total() int64 {
	return f.ReuseAccepted + f.Forks + f.LostSessions + f.Unexpected
}

// Injections counts the requests sent out of band of vegeta's results to test rotation.
type Injections struct {
	Reuse int64 `json:"reuse"` // rotated-out tokens sent again
	Race  int64 `json:"race"`  // pairs of concurrent refreshes of one token
}

// Sessions counts what became of a run's sessions.
type Sessions struct {
	Established int64 `json:"established"`
	// SignInFailed counts sign-ins of phase 1 that did not give a session.
	SignInFailed int64 `json:"sign_in_failed"`
	// Retired counts sessions refused after something on their chain (an injection, a
	// timeout, a server error) may have revoked them legitimately.
	Retired int64 `json:"retired"`
	// Replaced counts sessions signed in during the attack in place of lost or retired
	// ones.
	Replaced int64 `json:"replaced"`
	// Alive counts the sessions that could still refresh when the attack ended.
	Alive int64 `json:"alive"`
}

// Tally is what a run counts besides vegeta's results. [Merge] adds the tallies of
// several runs.
type Tally struct {
	Findings Findings   `json:"findings"`
	Injected Injections `json:"injected"`
	Sessions Sessions   `json:"sessions"`
}

// Add adds the counts of o to t.
func (t *Tally) Add(o Tally) {
	t.Findings.ReuseAccepted += o.Findings.ReuseAccepted
	t.Findings.Forks += o.Findings.Forks
	t.Findings.LostSessions += o.Findings.LostSessions
	t.Findings.Unexpected += o.Findings.Unexpected
	t.Injected.Reuse += o.Injected.Reuse
	t.Injected.Race += o.Injected.Race
	t.Sessions.Established += o.Sessions.Established
	t.Sessions.SignInFailed += o.Sessions.SignInFailed
	t.Sessions.Retired += o.Sessions.Retired
	t.Sessions.Replaced += o.Sessions.Replaced
	t.Sessions.Alive += o.Sessions.Alive
}

// counters are the live counts of an attack, updated from every request goroutine.
type counters struct {
	reuseAccepted, forks, lost, unexpected atomic.Int64
	reuseSent, raceSent                    atomic.Int64
	retired, replaced                      atomic.Int64
}

// tally snapshots the counters.
func (c *counters) tally() Tally {
	return Tally{
		Findings: Findings{
			ReuseAccepted: c.reuseAccepted.Load(),
			Forks:         c.forks.Load(),
			LostSessions:  c.lost.Load(),
			Unexpected:    c.unexpected.Load(),
		},
		Injected: Injections{Reuse: c.reuseSent.Load(), Race: c.raceSent.Load()},
		Sessions: Sessions{Retired: c.retired.Load(), Replaced: c.replaced.Load()},
	}
}
