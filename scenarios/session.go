package scenarios

import (
	"context"
	"strings"
)

// sessionChecks are the checks of the user endpoint.
func sessionChecks() []Check {
	return []Check{
		{ID: "session/user-with-token", Level: Must, Run: checkUserWithToken,
			Title: "the user endpoint answers the user for a fresh access token"},
		{ID: "session/user-without-token", Level: Must, Run: checkUserWithoutToken,
			Title: "the user endpoint refuses a request without a token"},
		{ID: "session/garbage-token", Level: Must, Run: checkGarbageToken,
			Title: "the user endpoint refuses garbage tokens with 401"},
	}
}

func checkUserWithToken(ctx context.Context, env *Env) Result {
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	resp, err := env.Client.User(ctx, tokens.Access)
	if err != nil {
		return Errored(err)
	}
	path := env.Profile.User.Path
	switch {
	case !resp.OK():
		return Fail("%s answered %s to Authorization: Bearer with a fresh access token; "+
			"authenticate bearer JWTs on it (JWTAuthentication)", path, env.Describe(resp))
	case resp.JSON == nil:
		return Fail("%s answered %d without a JSON object; Nuxt Auth makes the whole body "+
			"the user", path, resp.Status)
	}
	return Pass("%s answered the user (fields: %s) for a fresh access token", path,
		describeKeys(resp))
}

func checkUserWithoutToken(ctx context.Context, env *Env) Result {
	resp, err := env.Client.User(ctx, "")
	if err != nil {
		return Errored(err)
	}
	path := env.Profile.User.Path
	switch {
	case resp.OK():
		return Fail("%s answered %d without any token; require authentication on it "+
			"(IsAuthenticated)", path, resp.Status)
	case !refused(resp):
		return Fail("%s answered %s without a token; answer 401", path, env.Describe(resp))
	}
	return Pass("%s refused a request without a token with %d", path, resp.Status)
}

// garbageTokens are bearer values no backend may accept.
var garbageTokens = []string{
	"garbage",
	"eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.not-a-signature",
	"a.b.c",
	strings.Repeat("x", 4096),
}

func checkGarbageToken(ctx context.Context, env *Env) Result {
	path := env.Profile.User.Path
	for _, tok := range garbageTokens {
		resp, err := env.Client.User(ctx, tok)
		if err != nil {
			return Errored(err)
		}
		switch {
		case resp.OK():
			return Fail("%s accepted the bearer token %q (%d); verify the token's "+
				"signature and claims before trusting it", path, clip(tok, 24), resp.Status)
		case !refused(resp):
			return Fail("%s answered %s to a garbage bearer token; a token that does not "+
				"parse is the client's error: answer 401", path, env.Describe(resp))
		}
	}
	return Pass("%s refused %d kinds of garbage bearer tokens with 4xx", path,
		len(garbageTokens))
}
