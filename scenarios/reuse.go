package scenarios

import (
	"context"
	"net/http"
	"time"
)

// reuseChecks are the checks of what happens to refresh tokens that are spent: by a
// rotation, by a replay, or by logging out.
func reuseChecks() []Check {
	return []Check{
		{ID: "reuse/rotated-refused", Level: Must, Timed: true, Run: checkRotatedRefused,
			Title: "a refresh token is refused once rotated out"},
		{ID: "reuse/family-revoked", Level: Should, Timed: true, Run: checkFamilyRevoked,
			Title: "replaying a rotated-out token revokes its successors"},
		{ID: "reuse/logout-revokes", Level: Must, Run: checkLogoutRevokes,
			Title: "logging out revokes the refresh token"},
	}
}

// rotateAndReuse signs in, rotates the refresh token once, lets the reuse grace window
// pass and replays the rotated-out token. It returns the successor tokens and the
// replay's answer; a non-nil Result is the verdict when the setup itself failed.
func rotateAndReuse(ctx context.Context, env *Env) (next Tokens, replay *Response,
	res *Result) {
	fail := func(r Result) (Tokens, *Response, *Result) { return Tokens{}, nil, &r }
	p := env.Profile
	switch {
	case !p.Expect.Rotation:
		return fail(Skip("the profile does not expect rotation (expect.rotation: false)"))
	case !p.Expect.ReuseRefused:
		return fail(Skip("the profile does not expect reuse to be refused " +
			"(expect.reuse_refused: false)"))
	}
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return fail(Errored(err))
	}
	resp, err := refreshOK(ctx, env, tokens.Refresh)
	if err != nil {
		return fail(Errored(err))
	}
	next = resp.Tokens
	if next.Refresh == "" || next.Refresh == tokens.Refresh {
		return fail(Skip("the refresh did not rotate the refresh token (see " +
			"rotation/new-refresh-token)"))
	}
	if grace := time.Duration(p.Expect.ReuseGrace); grace > 0 {
		err := env.Advance(ctx, grace+time.Second, "the reuse grace window to pass")
		if err != nil {
			return fail(Errored(err))
		}
	}

	replay, err = env.Client.Refresh(ctx, tokens.Refresh)
	if err != nil {
		return fail(Errored(err))
	}
	return next, replay, nil
}

func checkRotatedRefused(ctx context.Context, env *Env) Result {
	_, replay, res := rotateAndReuse(ctx, env)
	if res != nil {
		return *res
	}
	switch {
	case replay.OK():
		return Fail("a refresh token was accepted again after rotation (%d); blacklist it "+
			"when you rotate (BLACKLIST_AFTER_ROTATION, with the token_blacklist app "+
			"installed)", replay.Status)
	case !refused(replay):
		return Fail("a rotated-out refresh token was answered %s; refuse it with %s",
			env.Describe(replay), styleRefusal(env.Profile.Style))
	}
	if note := styleMismatch(env.Profile.Style, replay); note != "" {
		return Pass("a rotated-out refresh token was refused with %d (%s)", replay.Status, note)
	}
	return Pass("a rotated-out refresh token was refused with %d", replay.Status)
}

func checkFamilyRevoked(ctx context.Context, env *Env) Result {
	next, replay, res := rotateAndReuse(ctx, env)
	if res != nil {
		return *res
	}
	if replay.OK() {
		return Fail("a rotated-out refresh token was accepted again, so a leaked token is " +
			"never detected (see reuse/rotated-refused)")
	}
	resp, err := env.Client.Refresh(ctx, next.Refresh)
	if err != nil {
		return Errored(err)
	}
	if resp.OK() {
		return Fail("after a rotated-out refresh token was replayed, its successor still " +
			"refreshes; a replay means the token leaked, so revoke the whole token family")
	}
	return Pass("replaying a rotated-out token revoked its successor (refused with %d)",
		resp.Status)
}

func checkLogoutRevokes(ctx context.Context, env *Env) Result {
	if env.Profile.Logout == nil {
		return Skip("the profile has no logout endpoint")
	}
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	out, err := env.Client.Logout(ctx, tokens)
	if err != nil {
		return Errored(err)
	}
	if !out.OK() {
		return Fail("logging out at %s was answered %s; accept the refresh token (field %q) "+
			"and revoke it", env.Profile.Logout.Path, env.Describe(out),
			env.Profile.Logout.Field)
	}
	resp, err := env.Client.Refresh(ctx, tokens.Refresh)
	if err != nil {
		return Errored(err)
	}
	if resp.OK() {
		return Fail("the refresh token still refreshed after logout answered %d; logout "+
			"must blacklist the refresh token it is given", out.Status)
	}
	return Pass("after logout, the refresh token was refused with %d", resp.Status)
}

// styleRefusal says how the profile's style refuses a refresh token.
func styleRefusal(style string) string {
	if style == StyleRFC6749 {
		return `400 {"error": "invalid_grant"}`
	}
	return `401 {"code": "token_not_valid"}`
}

// styleMismatch returns a note when a refusal does not have the profile's error style,
// and "" when it does.
func styleMismatch(style string, r *Response) string {
	switch {
	case r.GraphQL != nil: // GraphQL errors have no REST style
		return ""
	case style == StyleRFC6749 && r.Status == http.StatusBadRequest &&
		r.Field("error") == "invalid_grant":
		return ""
	case style == StyleDRF && r.Status == http.StatusUnauthorized &&
		r.Field("code") == "token_not_valid":
		return ""
	}
	return "the " + style + " style answers " + styleRefusal(style)
}
