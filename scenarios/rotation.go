package scenarios

import (
	"context"
	"errors"
	"fmt"
)

// rotationChecks are the checks of what a refresh answers and of token types.
func rotationChecks() []Check {
	return []Check{
		{ID: "rotation/new-refresh-token", Level: Must, Run: checkNewRefreshToken,
			Title: "a refresh answers a new refresh token"},
		{ID: "rotation/new-pair-works", Level: Must, Run: checkNewPairWorks,
			Title: "the new access token works and the new refresh token refreshes"},
		{ID: "rotation/response-keys", Level: Must, Run: checkResponseKeys,
			Title: "a refresh answers the token fields the frontend reads"},
		{ID: "rotation/access-not-refresh", Level: Must, Run: checkAccessNotRefresh,
			Title: "an access token is refused as a refresh token"},
		{ID: "rotation/refresh-not-access", Level: Must, Run: checkRefreshNotAccess,
			Title: "a refresh token is refused as an access token"},
	}
}

func checkNewRefreshToken(ctx context.Context, env *Env) Result {
	if !env.Profile.Expect.Rotation {
		return Skip("the profile does not expect rotation (expect.rotation: false)")
	}
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	resp, err := refreshOK(ctx, env, tokens.Refresh)
	if err != nil {
		return Errored(err)
	}
	switch next := resp.Tokens.Refresh; {
	case next == "":
		return Fail("the refresh answered no %s, so the refresh token is never rotated; "+
			"answer a new one on every refresh (ROTATE_REFRESH_TOKENS)",
			env.Profile.Tokens.Refresh)
	case next == tokens.Refresh:
		return Fail("the refresh answered the same refresh token again; rotate it: issue a " +
			"new one on every refresh and blacklist the old (ROTATE_REFRESH_TOKENS, " +
			"BLACKLIST_AFTER_ROTATION)")
	}
	env.Notef("refresh token %s rotated to %s", Fingerprint(tokens.Refresh),
		Fingerprint(resp.Tokens.Refresh))
	return Pass("a refresh answered a new refresh token")
}

func checkNewPairWorks(ctx context.Context, env *Env) Result {
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	resp, err := refreshOK(ctx, env, tokens.Refresh)
	if err != nil {
		return Errored(err)
	}
	next := resp.Tokens
	if next.Refresh == "" {
		next.Refresh = tokens.Refresh // what Nuxt Auth does when none is answered
	}

	user, err := env.Client.User(ctx, next.Access)
	if err != nil {
		return Errored(err)
	}
	if !user.OK() {
		return Fail("the access token from a refresh was refused at %s (%s); it must work "+
			"like the first one", env.Profile.User.Path, env.Describe(user))
	}
	again, err := env.Client.Refresh(ctx, next.Refresh)
	if err != nil {
		return Errored(err)
	}
	if !again.OK() || again.Tokens.Access == "" {
		return Fail("the refresh token a refresh answered was refused at the next refresh "+
			"(%s); record the tokens you rotate to, or every session ends at its second "+
			"refresh", env.Describe(again))
	}
	return Pass("after a refresh, the new access token works and the new refresh token " +
		"refreshes again")
}

func checkResponseKeys(ctx context.Context, env *Env) Result {
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	resp, err := env.Client.Refresh(ctx, tokens.Refresh)
	if err != nil {
		return Errored(err)
	}
	if res, ok := refreshAnswerProblem(env, resp); !ok {
		return res
	}
	tf := env.Profile.Tokens
	if env.Profile.Expect.Rotation && resp.Tokens.Refresh == "" {
		return Fail("the refresh answer has no %s (fields: %s) although the backend "+
			"rotates; Nuxt Auth keeps the old refresh token, which rotation spent, so the "+
			"next refresh logs the user out", tf.Refresh, describeKeys(resp))
	}
	return Pass("the refresh answer has the fields Nuxt Auth reads (fields: %s)",
		describeKeys(resp))
}

func checkAccessNotRefresh(ctx context.Context, env *Env) Result {
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	resp, err := env.Client.Refresh(ctx, tokens.Access)
	if err != nil {
		return Errored(err)
	}
	switch {
	case resp.OK():
		return Fail("an access token posted as a refresh token gave new tokens (%d); check "+
			"token_type == refresh before refreshing, or any leaked access token lives "+
			"forever", resp.Status)
	case !refused(resp):
		return Fail("an access token posted as a refresh token was answered %s; refuse it "+
			"with 4xx", env.Describe(resp))
	}
	return Pass("an access token posted as a refresh token was refused with %d",
		resp.Status)
}

func checkRefreshNotAccess(ctx context.Context, env *Env) Result {
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	resp, err := env.Client.User(ctx, tokens.Refresh)
	if err != nil {
		return Errored(err)
	}
	switch {
	case resp.OK():
		return Fail("a refresh token was accepted as a bearer token at %s (%d); check "+
			"token_type == access when authenticating, or a refresh token becomes a "+
			"month-long access token", env.Profile.User.Path, resp.Status)
	case !refused(resp):
		return Fail("a refresh token used as a bearer token was answered %s; answer 401",
			env.Describe(resp))
	}
	return Pass("a refresh token used as a bearer token was refused with %d", resp.Status)
}

// errNoRefresh is a refresh answer without the tokens a check needs next.
var errNoRefresh = errors.New("the refresh did not give new tokens")

// refreshOK refreshes and returns the answer, or an error for verdict Errored when the
// refresh itself fails: checks that build on a working refresh cannot decide without it.
func refreshOK(ctx context.Context, env *Env, refresh string) (*Response, error) {
	resp, err := env.Client.Refresh(ctx, refresh)
	if err != nil {
		return nil, err
	}
	if !resp.OK() || resp.Tokens.Access == "" {
		return nil, fmt.Errorf("%w: %s (see expiry/refresh-after-expiry)", errNoRefresh,
			env.Describe(resp))
	}
	return resp, nil
}
