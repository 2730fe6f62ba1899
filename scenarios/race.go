package scenarios

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Sizes of the bursts the race checks send.
const (
	// raceWidth is how many requests go out at once with one refresh token or code.
	raceWidth = 8
	// raceRounds is how many bursts race/single-family sends, each with a fresh session:
	// a race that one burst misses, a later one may catch.
	raceRounds = 3
)

// raceChecks are the checks of what concurrent requests with one refresh token or one
// code do.
func raceChecks() []Check {
	return []Check{
		{ID: "race/single-family", Level: Must, Run: checkSingleFamily,
			Title: "parallel refreshes of one refresh token give at most one token family"},
		{ID: "race/no-logout", Level: Should, Timed: true, Run: checkNoLogout,
			Title: "parallel requests after expiry, each refreshing, keep the user signed in"},
		{ID: "race/code-exchange", Level: Must, Run: checkCodeExchangeRace,
			Title: "parallel exchanges of one code open at most one session"},
	}
}

// burst calls fn(i) for i in [0, n) on n goroutines released together, and waits for all.
func burst(n int, fn func(i int)) {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			fn(i)
		}()
	}
	close(start)
	wg.Wait()
}

// refreshBurst sends raceWidth refreshes of one refresh token at once. It returns the
// answers in the order they completed, or the first transport error.
func refreshBurst(ctx context.Context, env *Env, refresh string) ([]*Response, error) {
	var mu sync.Mutex
	var answers []*Response
	errs := make([]error, raceWidth)
	burst(raceWidth, func(i int) {
		resp, err := env.Client.Refresh(ctx, refresh)
		if err != nil {
			errs[i] = err
			return
		}
		mu.Lock()
		answers = append(answers, resp)
		mu.Unlock()
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return answers, nil
}

// raceTally counts a burst's answers: the successes, the refusals, and the distinct
// successor refresh tokens in the order first seen.
type raceTally struct {
	ok, refused  int
	successors   []string
	firstRefusal *Response
}

// tallyRefreshes counts the refresh answers of a burst; an answer without an access
// token is a refusal, since Nuxt Auth takes it as one.
func tallyRefreshes(answers []*Response) raceTally {
	var t raceTally
	seen := make(map[string]bool)
	for _, resp := range answers {
		if !resp.OK() || resp.Tokens.Access == "" {
			t.refused++
			if t.firstRefusal == nil {
				t.firstRefusal = resp
			}
			continue
		}
		t.ok++
		if r := resp.Tokens.Refresh; r != "" && !seen[r] {
			seen[r] = true
			t.successors = append(t.successors, r)
		}
	}
	return t
}

func checkSingleFamily(ctx context.Context, env *Env) Result {
	if !env.Profile.Expect.Rotation {
		return Skip("the profile does not expect rotation (expect.rotation: false), so " +
			"there is no token family to fork")
	}
	var ok, refusedN int
	for round := range raceRounds {
		tokens, err := env.SignIn(ctx)
		if err != nil {
			return Errored(err)
		}
		answers, err := refreshBurst(ctx, env, tokens.Refresh)
		if err != nil {
			return Errored(err)
		}
		t := tallyRefreshes(answers)
		env.Notef("burst %d of refresh token %s: %d succeeded with %d distinct successor(s), "+
			"%d refused", round+1, Fingerprint(tokens.Refresh), t.ok, len(t.successors),
			t.refused)
		if t.ok == 0 {
			return Errored(fmt.Errorf("none of %d parallel refreshes succeeded (the first "+
				"answer: %s); see expiry/refresh-after-expiry", raceWidth,
				env.Describe(answers[0])))
		}
		if res, forked := forkVerdict(ctx, env, t); forked {
			return res
		}
		ok, refusedN = ok+t.ok, refusedN+t.refused
	}
	return Pass("%d bursts of %d parallel refreshes of one refresh token each gave one "+
		"successor pair (%d answers with it, %d refusals)", raceRounds, raceWidth, ok,
		refusedN)
}

// forkVerdict decides a burst that gave several successors: each that still refreshes on
// its own is a live branch of the family. forked is false when at most one is live.
func forkVerdict(ctx context.Context, env *Env, t raceTally) (res Result, forked bool) {
	if len(t.successors) < 2 {
		return Result{}, false
	}
	live := 0
	for _, s := range t.successors {
		resp, err := env.Client.Refresh(ctx, s)
		if err != nil {
			return Errored(err), true
		}
		if resp.OK() {
			live++
		}
	}
	if live < 2 {
		env.Notef("%d distinct successors, %d of them refresh", len(t.successors), live)
		return Result{}, false
	}
	return Fail("%d parallel refreshes of one refresh token gave %d different successors, "+
		"%d of which refresh on their own: checking that the token is unspent and spending "+
		"it are separate steps (as in SimpleJWT's TokenRefreshSerializer), so concurrent "+
		"refreshes fork the session; spend it with one conditional write (insert the "+
		"blacklist row first, or UPDATE ... WHERE unspent) and answer the losers 401 or "+
		"the winner's pair", raceWidth, len(t.successors), live), true
}

func checkNoLogout(ctx context.Context, env *Env) Result {
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	lt := accessLifetime(env, tokens.Access)
	if err := env.Advance(ctx, lt+expirySlack, "the access token to expire"); err != nil {
		return Errored(err)
	}

	// Each request in flight refreshes with the stored token, then goes out with the
	// access token its own refresh answered (nuxt-auth.md 2.4).
	var mu sync.Mutex
	var answers []*Response
	var userRefused []*Response
	errs := make([]error, raceWidth)
	burst(raceWidth, func(i int) {
		resp, err := env.Client.Refresh(ctx, tokens.Refresh)
		if err != nil {
			errs[i] = err
			return
		}
		mu.Lock()
		answers = append(answers, resp)
		mu.Unlock()
		if !resp.OK() || resp.Tokens.Access == "" {
			return
		}
		user, err := env.Client.User(ctx, resp.Tokens.Access)
		if err != nil {
			errs[i] = err
			return
		}
		if !user.OK() {
			mu.Lock()
			userRefused = append(userRefused, user)
			mu.Unlock()
		}
	})
	if err := errors.Join(errs...); err != nil {
		return Errored(err)
	}
	return judgeNoLogout(ctx, env, tokens.Refresh, answers, userRefused)
}

// judgeNoLogout decides race/no-logout from the burst's refresh answers, in the order
// they completed, and the user requests that were refused. refresh is the token the
// burst spent.
func judgeNoLogout(ctx context.Context, env *Env, refresh string,
	answers, userRefused []*Response) Result {
	t := tallyRefreshes(answers)
	if t.refused > 0 {
		return Fail("%d of %d parallel refreshes with the same refresh token were refused "+
			"(the first: %s), and Nuxt Auth, which refreshes once per request in flight "+
			"after the access token expires, logs the user out on any refused refresh; "+
			"answer a repeat within a few seconds of the rotation with the same new pair "+
			"(a reuse grace window, which SimpleJWT lacks)", t.refused, raceWidth,
			env.Describe(t.firstRefusal))
	}
	if len(userRefused) > 0 {
		return Fail("%d access tokens answered by parallel refreshes were refused at %s "+
			"(%s); every pair a refresh answers must work", len(userRefused),
			env.Profile.User.Path, env.Describe(userRefused[0]))
	}

	// Nuxt Auth keeps the refresh token of the answer that arrived last, or the one it
	// had when that answer carries none.
	kept := answers[len(answers)-1].Tokens.Refresh
	if kept == "" {
		kept = refresh
	}
	next, err := env.Client.Refresh(ctx, kept)
	if err != nil {
		return Errored(err)
	}
	if !next.OK() {
		return Fail("all %d parallel refreshes succeeded, but the refresh token of the "+
			"answer that arrived last, which Nuxt Auth keeps, was refused at the next "+
			"refresh (%s); every repeat within the grace window must answer the pair that "+
			"stays valid", raceWidth, env.Describe(next))
	}
	return Pass("all %d parallel refreshes with the same refresh token succeeded (%d "+
		"distinct successor(s)), and the pair the client keeps refreshes again", raceWidth,
		len(t.successors))
}

func checkCodeExchangeRace(ctx context.Context, env *Env) Result {
	// A burst of exchanges of a fresh code: Google lets one through, and revokes what it
	// gave when a replay follows, so this burst may open one session or none.
	together, err := exchangeBurst(ctx, env, false)
	if err != nil {
		return Errored(err)
	}
	if n := len(together.sessions); n > 1 {
		return codeRaceFailure(n, fmt.Sprintf("%d requests exchanged it at once", raceWidth))
	}

	// A double-submitted callback: the code is exchanged, then replayed by a burst.
	after, err := exchangeBurst(ctx, env, true)
	if err != nil {
		return Errored(err)
	}
	if n := len(after.sessions); n > 1 {
		return codeRaceFailure(n, fmt.Sprintf("%d parallel requests replayed it right "+
			"after its first exchange", raceWidth))
	}
	opened := "no session (Google revokes what a code gave when it is replayed)"
	if n := len(together.sessions); n == 1 {
		opened = "one session"
	}
	if after.refusal == nil {
		return Pass("a code exchanged by %d requests at once opened %s, and one replayed "+
			"by %d parallel requests after its first exchange answered that session each "+
			"time", raceWidth, opened, raceWidth)
	}
	return Pass("a code exchanged by %d requests at once opened %s, and one replayed by "+
		"%d parallel requests after its first exchange opened no other (replays answered "+
		"%s)", raceWidth, opened, raceWidth, env.Describe(after.refusal))
}

// codeBurst is what a burst of exchanges of one code gave: the distinct sessions, and
// the first answer that opened none.
type codeBurst struct {
	sessions map[string]bool
	refusal  *Response
}

// exchangeBurst authorizes a fresh code and has raceWidth requests exchange it at once.
// With first, one exchange goes before the burst and must sign in; its session counts.
func exchangeBurst(ctx context.Context, env *Env, first bool) (codeBurst, error) {
	p := env.Profile
	out := codeBurst{sessions: make(map[string]bool)}
	g, err := env.Client.Authorize(ctx, p.Google.PKCE)
	if err != nil {
		return out, err
	}
	if first {
		resp, err := env.Client.Exchange(ctx, g, p.Login.Encoding)
		if err != nil {
			return out, err
		}
		if !resp.OK() || resp.Tokens.Access == "" {
			return out, fmt.Errorf("the first exchange of a fresh code failed (%s); see "+
				"exchange/code-accepted", env.Describe(resp))
		}
		out.sessions[sessionKey(resp.Tokens)] = true
	}

	answers := make([]*Response, raceWidth)
	errs := make([]error, raceWidth)
	burst(raceWidth, func(i int) {
		answers[i], errs[i] = env.Client.Exchange(ctx, g, p.Login.Encoding)
	})
	if err := errors.Join(errs...); err != nil {
		return out, err
	}
	for _, resp := range answers {
		switch {
		case resp.OK() && resp.Tokens.Access != "":
			out.sessions[sessionKey(resp.Tokens)] = true
		case out.refusal == nil:
			out.refusal = resp
		}
	}
	env.Notef("code %s: %d session(s) from %d exchanges", Fingerprint(g.Code),
		len(out.sessions), len(answers))
	return out, nil
}

// codeRaceFailure is the verdict on a code that opened n sessions when exchanged as how
// says.
func codeRaceFailure(n int, how string) Result {
	return Fail("one Google code opened %d sessions when %s: a double-submitted callback "+
		"signs the user in twice; exchange each code with Google exactly once and never "+
		"answer a repeat from a cache keyed by the code", n, how)
}

// sessionKey identifies the session a sign-in answered: its refresh token, or its access
// token when it has none.
func sessionKey(t Tokens) string {
	if t.Refresh != "" {
		return t.Refresh
	}
	return t.Access
}
