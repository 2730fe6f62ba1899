package scenarios

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// exchangeChecks are the checks of the code exchange at the login endpoint.
func exchangeChecks() []Check {
	return []Check{
		{ID: "exchange/code-accepted", Level: Must, Run: checkCodeAccepted,
			Title: "a Google code posted as Nuxt Auth posts it is exchanged for both tokens"},
		{ID: "exchange/form-and-json", Level: Should, Run: checkFormAndJSON,
			Title: "the login endpoint accepts form and JSON bodies"},
		{ID: "exchange/code-single-use", Level: Must, Run: checkCodeSingleUse,
			Title: "a code exchanged twice is refused the second time"},
		{ID: "exchange/unknown-code", Level: Must, Run: checkUnknownCode,
			Title: "a code Google does not know is refused with 4xx"},
		{ID: "exchange/google-failure", Level: Should, Run: checkGoogleFailure,
			Title: "Google failing is answered with 4xx or a 5xx other than 500"},
		{ID: "exchange/pkce-forwarded", Level: Must, Run: checkPKCEForwarded,
			Title: "the frontend's code_verifier reaches Google"},
		{ID: "exchange/no-store", Level: Should, Run: checkNoStore,
			Title: "token answers carry Cache-Control: no-store"},
	}
}

func checkCodeAccepted(ctx context.Context, env *Env) Result {
	p := env.Profile
	g, err := env.Client.Authorize(ctx, p.Google.PKCE)
	if err != nil {
		return Errored(err)
	}
	resp, err := env.Client.Exchange(ctx, g, p.Login.Encoding)
	if err != nil {
		return Errored(err)
	}

	tf := p.Tokens
	switch {
	case !resp.OK():
		return Fail("%s answered %s to a Google code posted the way Nuxt Auth posts it "+
			"(%s body, bare audience and grant_type keys); it must exchange the code and "+
			"answer 2xx with %s and %s", p.Login.Path, env.Describe(resp),
			encodingName(p.Login.Encoding), tf.Access, tf.Refresh)
	case resp.Tokens.Access == "":
		return Fail("the login answer has no %s (fields: %s); Nuxt Auth reads only %s and "+
			"%s, so the user is never signed in", tf.Access, describeKeys(resp), tf.Access,
			tf.Refresh)
	case resp.Tokens.Refresh == "":
		return Fail("the login answer has no %s (fields: %s); without it Nuxt Auth cannot "+
			"refresh, and the session ends when the access token expires", tf.Refresh,
			describeKeys(resp))
	}
	_, c, err := decodeJWT(resp.Tokens.Access)
	if err != nil {
		return Fail("the %s is not a JWT; Nuxt Auth decodes its exp to know when to "+
			"refresh, and falls back to a fixed 30 minutes", tf.Access)
	}
	if _, ok := c.time("exp"); !ok {
		return Fail("the %s has no exp claim; Nuxt Auth decides when to refresh from exp",
			tf.Access)
	}
	env.Notef("access token %s, refresh token %s", Fingerprint(resp.Tokens.Access),
		Fingerprint(resp.Tokens.Refresh))
	return Pass("%s exchanged a Google code for %s (a JWT with exp) and %s", p.Login.Path,
		tf.Access, tf.Refresh)
}

// hasTokens reports whether a login answer carries a token, so that it signed the user
// in.
func hasTokens(r *Response) bool { return r.Tokens.Access != "" || r.Tokens.Refresh != "" }

func encodingName(enc string) string {
	if enc == EncodingJSON {
		return "JSON"
	}
	return "form"
}

func checkFormAndJSON(ctx context.Context, env *Env) Result {
	var refusedBy []string
	for _, enc := range []string{EncodingForm, EncodingJSON} {
		g, err := env.Client.Authorize(ctx, env.Profile.Google.PKCE)
		if err != nil {
			return Errored(err)
		}
		resp, err := env.Client.Exchange(ctx, g, enc)
		if err != nil {
			return Errored(err)
		}
		if !resp.OK() || resp.Tokens.Access == "" {
			refusedBy = append(refusedBy, encodingName(enc)+" ("+env.Describe(resp)+")")
		}
	}
	if len(refusedBy) > 0 {
		return Fail("%s did not sign in with a %s body; parse both form (what Nuxt Auth "+
			"sends) and JSON bodies", env.Profile.Login.Path, strings.Join(refusedBy, " or "))
	}
	return Pass("%s signs in with both form and JSON bodies", env.Profile.Login.Path)
}

func checkCodeSingleUse(ctx context.Context, env *Env) Result {
	p := env.Profile
	g, err := env.Client.Authorize(ctx, p.Google.PKCE)
	if err != nil {
		return Errored(err)
	}
	first, err := env.Client.Exchange(ctx, g, p.Login.Encoding)
	if err != nil {
		return Errored(err)
	}
	if !first.OK() {
		return Errored(fmt.Errorf("the first exchange of the code failed: %s",
			env.Describe(first)))
	}
	second, err := env.Client.Exchange(ctx, g, p.Login.Encoding)
	if err != nil {
		return Errored(err)
	}

	switch {
	case second.OK() && hasTokens(second):
		return Fail("a code exchanged a second time signed in again (%d); exchange every "+
			"code with Google and never answer a replay from a cache", second.Status)
	case second.OK():
		return Fail("a code exchanged a second time was answered %s without tokens; it "+
			"did not sign in, but Google's invalid_grant is the client's error: answer it "+
			"with 4xx", env.Describe(second))
	case !refused(second):
		return Fail("a replayed code was answered %s; Google's invalid_grant is the "+
			"client's error, so answer it with 4xx", env.Describe(second))
	}
	return Pass("a replayed code was refused with %d", second.Status)
}

func checkUnknownCode(ctx context.Context, env *Env) Result {
	p := env.Profile
	code := "4/0authprobe-unknown-" + randomString(16)
	resp, err := env.Client.Exchange(ctx, Grant{Code: code}, p.Login.Encoding)
	if err != nil {
		return Errored(err)
	}
	switch {
	case resp.OK() && hasTokens(resp):
		return Fail("a code Google never issued signed in (%d); the backend must exchange "+
			"the code with Google and stop when Google refuses it", resp.Status)
	case resp.OK():
		return Fail("a code Google never issued was answered %s without tokens; it did "+
			"not sign in, but Google's invalid_grant is the client's error: answer it "+
			"with 4xx", env.Describe(resp))
	case resp.Status == http.StatusInternalServerError:
		return Fail("Google's invalid_grant for an unknown code became a 500; catch the " +
			"provider's OAuth error and answer 400")
	case !refused(resp):
		return Fail("an unknown code was answered %s; answer the client's error with 4xx",
			env.Describe(resp))
	}
	return Pass("a code Google does not know was refused with %d", resp.Status)
}

// googleFailures are the ways Google's token endpoint fails in checkGoogleFailure.
var googleFailures = []struct {
	name  string
	fault GoogleFault
}{
	{"Google answering 503", GoogleFault{Endpoint: "token", Status: http.StatusServiceUnavailable,
		Body: `{"error":"backend_error"}`}},
	{"Google answering malformed JSON", GoogleFault{Endpoint: "token", Kind: "malformed-json"}},
}

func checkGoogleFailure(ctx context.Context, env *Env) Result {
	p := env.Profile
	var bad []string
	for _, gf := range googleFailures {
		g, err := env.Client.Authorize(ctx, p.Google.PKCE)
		if err != nil {
			return Errored(err)
		}
		fault := gf.fault
		fault.Code = g.Code
		if err := env.Google.Fail(ctx, fault); err != nil {
			return Errored(err)
		}
		env.Notef("armed at mockgoogle for this code only: %s", gf.name)
		resp, err := env.Client.Exchange(ctx, g, p.Login.Encoding)
		if err != nil {
			return Errored(err)
		}
		if resp.OK() || resp.Status == http.StatusInternalServerError || resp.Status < 400 {
			bad = append(bad, fmt.Sprintf("%s gave %d", gf.name, resp.Status))
		}
	}
	if len(bad) > 0 {
		return Fail("%s; when Google fails, answer 502 or 503 (or 4xx), never 2xx or an "+
			"unhandled 500", strings.Join(bad, ", "))
	}
	return Pass("Google's failures were answered with 4xx or a 5xx other than 500")
}

func checkPKCEForwarded(ctx context.Context, env *Env) Result {
	p := env.Profile
	if !p.Expect.PKCE {
		return Skip("the profile does not expect PKCE (expect.pkce: false)")
	}
	g, err := env.Client.Authorize(ctx, true)
	if err != nil {
		return Errored(err)
	}
	resp, err := env.Client.Exchange(ctx, g, p.Login.Encoding)
	if err != nil {
		return Errored(err)
	}
	if !resp.OK() {
		return Fail("a code issued with a PKCE challenge was refused (%s); forward the "+
			"frontend's code_verifier to Google's token endpoint", env.Describe(resp))
	}

	wrong, err := env.Client.Authorize(ctx, true)
	if err != nil {
		return Errored(err)
	}
	wrong.Verifier = randomHex(28)
	resp, err = env.Client.Exchange(ctx, wrong, p.Login.Encoding)
	if err != nil {
		return Errored(err)
	}
	switch {
	case resp.OK() && hasTokens(resp):
		return Fail("a code was exchanged with the wrong code_verifier (%d); the backend "+
			"does not forward code_verifier to Google", resp.Status)
	case resp.OK():
		return Fail("a code sent with the wrong code_verifier was answered %s without "+
			"tokens; it did not sign in, but Google's invalid_grant is the client's "+
			"error: answer it with 4xx", env.Describe(resp))
	}
	if log, err := env.Google.Requests(ctx); err == nil {
		n := 0
		for _, r := range log {
			if r.Endpoint == "token" && slices.Contains(r.Fields, "code_verifier") {
				n++
			}
		}
		env.Notef("mockgoogle saw code_verifier in %d token request(s) so far", n)
	}
	return Pass("code_verifier reaches Google: the right one signs in, a wrong one is "+
		"refused with %d", resp.Status)
}

func checkNoStore(ctx context.Context, env *Env) Result {
	tokens, login, err := env.Client.signIn(ctx)
	if err != nil {
		return Errored(fmt.Errorf("could not sign in to set the check up: %w", err))
	}
	refresh, err := env.Client.Refresh(ctx, tokens.Refresh)
	if err != nil {
		return Errored(err)
	}

	var missing []string
	if !noStore(login.Header) {
		missing = append(missing, "the login answer")
	}
	if refresh.OK() && !noStore(refresh.Header) {
		missing = append(missing, "the refresh answer")
	}
	switch len(missing) {
	case 1:
		return Fail("%s lacks Cache-Control: no-store; answers carrying tokens must not be "+
			"cached (RFC 6749 section 5.1)", missing[0])
	case 2:
		return Fail("the login and refresh answers lack Cache-Control: no-store; answers " +
			"carrying tokens must not be cached (RFC 6749 section 5.1)")
	}
	return Pass("token answers carry Cache-Control: no-store")
}

func noStore(h http.Header) bool {
	for _, v := range h.Values("Cache-Control") {
		for _, d := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(d), "no-store") {
				return true
			}
		}
	}
	return false
}
