package scenarios

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Expiry margins. JWT times are whole seconds, so waits go a little past exp, and
// lifetimes are compared with a little tolerance.
const (
	expirySlack      = time.Second
	lifetimeTolerant = 2 * time.Second
)

// expiryChecks are the checks of token lifetimes and of what happens when they end.
func expiryChecks() []Check {
	return []Check{
		{ID: "expiry/access-lifetime", Level: Must, Run: checkAccessLifetime,
			Title: "the access token lives no longer than declared"},
		{ID: "expiry/access-valid-before-exp", Level: Must, Timed: true,
			Run:   checkAccessValidBeforeExp,
			Title: "an access token works until shortly before its exp"},
		{ID: "expiry/access-refused-after-exp", Level: Must, Timed: true,
			Run:   checkAccessRefusedAfterExp,
			Title: "an access token is refused after its exp"},
		{ID: "expiry/refresh-after-expiry", Level: Must, Timed: true,
			Run:   checkRefreshAfterExpiry,
			Title: "after the access token expires, refreshing as Nuxt Auth does works"},
		{ID: "expiry/refresh-lifetime", Level: Must, Timed: true, Run: checkRefreshLifetime,
			Title: "the refresh token lives no longer than declared, and is refused after"},
	}
}

// accessLifetime is how long a fresh access token lives: exp - iat when both claims are
// there, else exp - now, else the profile's declared lifetime.
func accessLifetime(env *Env, access string) time.Duration {
	if lt, ok := lifetime(access); ok {
		return lt
	}
	if _, c, err := decodeJWT(access); err == nil {
		if exp, ok := c.time("exp"); ok {
			return time.Until(exp)
		}
	}
	return time.Duration(env.Profile.Expect.AccessTTL)
}

func checkAccessLifetime(ctx context.Context, env *Env) Result {
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	declared := time.Duration(env.Profile.Expect.AccessTTL)
	_, c, err := decodeJWT(tokens.Access)
	if err != nil {
		return Fail("the access token is not a JWT, so its lifetime cannot be read; issue " +
			"JWT access tokens with exp (Nuxt Auth needs it to refresh in time)")
	}
	exp, ok := c.time("exp")
	if !ok {
		return Fail("the access token has no exp claim; it never expires, so a leaked " +
			"token works forever: set ACCESS_TOKEN_LIFETIME")
	}
	lt, ok := lifetime(tokens.Access)
	if !ok {
		lt = time.Until(exp)
	}
	env.Notef("access token %s: exp %s, lifetime %s", Fingerprint(tokens.Access),
		exp.UTC().Format(time.RFC3339), lt)
	if lt > declared+lifetimeTolerant {
		return Fail("the access token lives %s, not the declared %s; set "+
			"ACCESS_TOKEN_LIFETIME (or expect.access_ttl if %s is intended)", lt, declared, lt)
	}
	return Pass("the access token lives %s (declared %s)", lt, declared)
}

func checkAccessValidBeforeExp(ctx context.Context, env *Env) Result {
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	resp, err := env.Client.User(ctx, tokens.Access)
	if err != nil {
		return Errored(err)
	}
	if !resp.OK() {
		return Fail("a fresh access token was refused (%s); the backend's clock runs ahead, "+
			"or it checks iat or nbf without leeway", env.Describe(resp))
	}

	lt := accessLifetime(env, tokens.Access)
	margin := min(10*time.Second, lt/4)
	err = env.Advance(ctx, lt-margin, "the access token to near its exp")
	var werr *WaitError
	if errors.As(err, &werr) {
		return Pass("a fresh access token works; not tried near its exp: %s", werr)
	}
	if err != nil {
		return Errored(err)
	}
	resp, err = env.Client.User(ctx, tokens.Access)
	if err != nil {
		return Errored(err)
	}
	if !resp.OK() {
		return Fail("an access token was refused %s before its exp (%s); it must work for "+
			"its whole lifetime, or Nuxt Auth, which refreshes only after exp, fails requests",
			margin, env.Describe(resp))
	}
	return Pass("the access token worked fresh and %s before its exp", margin)
}

// checkAccessRefusedAfterExp presents an access token past its exp at the user endpoint.
// With a test clock it moves the clock past the issued token's exp: the most faithful
// way, as the very token issued is presented. Without one, a signing_key that signs the
// target's tokens decides at once (see refuseExpiredCopy). Otherwise, or when the key
// cannot decide, it waits real time for the token to expire, within --max-wait, and a
// skip for the wait says why the key did not serve.
func checkAccessRefusedAfterExp(ctx context.Context, env *Env) Result {
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	lt := accessLifetime(env, tokens.Access)
	var why string // why the signing key did not decide
	if !env.HasTestClock() && env.Profile.SigningKey != "" {
		var res Result
		if res, why = refuseExpiredCopy(ctx, env, tokens.Access, lt+expirySlack); why == "" {
			return res
		}
		env.Notef("%s; waiting for the access token to expire instead", why)
	}

	err = env.Advance(ctx, lt+expirySlack, "the access token to expire")
	var werr *WaitError
	if errors.As(err, &werr) && why != "" {
		return Skip("%s; %s", why, werr)
	}
	if err != nil {
		return Errored(err)
	}
	resp, err := env.Client.User(ctx, tokens.Access)
	if err != nil {
		return Errored(err)
	}
	return judgeExpired(env, resp, fmt.Sprintf("%s after its exp", expirySlack))
}

// refuseExpiredCopy decides expiry/access-refused-after-exp with the profile's signing
// key: once the key is confirmed on the issued access token, it presents a copy of the
// token re-signed with the key unchanged, which must be accepted (so that a refusal is
// the exp's doing), then a copy whose exp and iat are shift earlier, which must be
// refused. why says, with an empty res, why the key cannot decide.
func refuseExpiredCopy(ctx context.Context, env *Env, access string,
	shift time.Duration) (res Result, why string) {
	key := env.Profile.SigningKey
	t, err := splitJWT(access)
	if err != nil {
		return Result{}, "the access token is not a JWT, so the profile's signing_key " +
			"cannot sign a copy of it"
	}
	m, why := keySigns(t, key)
	if why != "" {
		return Result{}, why
	}
	exp, ok := t.payload.time("exp")
	if !ok {
		exp = time.Now()
	}
	past := t.payload.withClaim("exp", exp.Add(-shift).Unix())
	if iat, ok := t.payload.time("iat"); ok {
		past = past.withClaim("iat", iat.Add(-shift).Unix())
	}
	same, err := resign(t, t.payload, m, key)
	if err != nil {
		return Errored(err), ""
	}
	expired, err := resign(t, past, m, key)
	if err != nil {
		return Errored(err), ""
	}
	env.Notef("the profile's signing_key signs access token %s; presenting copies "+
		"re-signed with it: %s unchanged, %s with exp and iat %s earlier",
		Fingerprint(access), Fingerprint(same), Fingerprint(expired), shift)

	resp, err := env.Client.User(ctx, same)
	if err != nil {
		return Errored(err), ""
	}
	if !resp.OK() {
		return Result{}, fmt.Sprintf("the target refused its access token re-signed "+
			"unchanged with the profile's signing_key (%s), so it does not take tokens on "+
			"their signature and claims alone", env.Describe(resp))
	}
	resp, err = env.Client.User(ctx, expired)
	if err != nil {
		return Errored(err), ""
	}
	return judgeExpired(env, resp, fmt.Sprintf("%s after its exp (a copy of an issued "+
		"token, re-signed with signing_key)", expirySlack)), ""
}

// judgeExpired judges the user endpoint's answer to an access token past its exp; when
// says how far past, and how the token was made when it was not issued so.
func judgeExpired(env *Env, resp *Response, when string) Result {
	switch {
	case resp.OK():
		return Fail("an access token was accepted %s; verify exp on every request (never "+
			"decode tokens with verification off)", when)
	case !refused(resp):
		return Fail("an expired access token was answered %s; answer 401",
			env.Describe(resp))
	}
	return Pass("an access token was refused with %d %s", resp.Status, when)
}

func checkRefreshAfterExpiry(ctx context.Context, env *Env) Result {
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	lt := accessLifetime(env, tokens.Access)
	if err := env.Advance(ctx, lt+expirySlack, "the access token to expire"); err != nil {
		return Errored(err)
	}
	resp, err := env.Client.Refresh(ctx, tokens.Refresh)
	if err != nil {
		return Errored(err)
	}
	if res, ok := refreshAnswerProblem(env, resp); !ok {
		return res
	}

	user, err := env.Client.User(ctx, resp.Tokens.Access)
	if err != nil {
		return Errored(err)
	}
	if !user.OK() {
		return Fail("the access token from the refresh was refused at %s (%s)",
			env.Profile.User.Path, env.Describe(user))
	}
	return Pass("after the access token expired, the refresh Nuxt Auth sends to %s gave a "+
		"working access token", env.Profile.Refresh.Path)
}

// refreshAnswerProblem judges a refresh answer the way Nuxt Auth takes it: any non-2xx
// logs the user out, and so does a missing access token. ok is false with the failing
// verdict when the answer would end the session.
func refreshAnswerProblem(env *Env, resp *Response) (res Result, ok bool) {
	p := env.Profile
	switch {
	case resp.OK() && resp.Tokens.Access != "":
		return Result{}, true
	case resp.OK():
		return Fail("the refresh answer has no %s (fields: %s); Nuxt Auth then drops the "+
			"access token and the user's next request fails", p.Tokens.Access,
			describeKeys(resp)), false
	case p.Refresh.Path == p.Login.Path && resp.Status == 400 &&
		p.Transport != TransportGraphQL:
		return Fail("%s answered %s to Nuxt Auth's refresh (refresh_token, scopes, "+
			"client_id, grant_type=refresh_token): it handles only code exchange; accept "+
			"grant_type=refresh_token there too, or the user is logged out when the access "+
			"token expires", p.Refresh.Path, env.Describe(resp)), false
	}
	return Fail("refreshing with a valid refresh token was answered %s; Nuxt Auth logs the "+
		"user out on any non-2xx refresh", env.Describe(resp)), false
}

func checkRefreshLifetime(ctx context.Context, env *Env) Result {
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	declared := time.Duration(env.Profile.Expect.RefreshTTL)
	lt, known := lifetime(tokens.Refresh)
	if known {
		env.Notef("refresh token %s lives %s", Fingerprint(tokens.Refresh), lt)
		if lt > declared+lifetimeTolerant {
			return Fail("the refresh token lives %s, not the declared %s; set "+
				"REFRESH_TOKEN_LIFETIME (or expect.refresh_ttl if %s is intended)",
				lt, declared, lt)
		}
	} else {
		lt = declared
	}

	err = env.Advance(ctx, lt+expirySlack, "the refresh token to expire")
	var werr *WaitError
	if errors.As(err, &werr) && known {
		return Pass("the refresh token lives %s (declared %s); refusal after expiry not "+
			"tried: %s", lt, declared, werr)
	}
	if err != nil {
		return Errored(err)
	}
	resp, err := env.Client.Refresh(ctx, tokens.Refresh)
	if err != nil {
		return Errored(err)
	}
	if resp.OK() {
		return Fail("a refresh token was accepted %s after its lifetime of %s; verify exp "+
			"on refresh tokens too", expirySlack, lt)
	}
	return Pass("the refresh token lives %s and was refused with %d after it",
		lt, resp.Status)
}
