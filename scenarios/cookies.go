package scenarios

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// cookieChecks are the checks of the token cookies of a backend that sets them
// (expect.cookies).
func cookieChecks() []Check {
	return []Check{
		{ID: "cookies/httponly", Level: Must, Run: checkCookieRule(httpOnlyRule),
			Title: "token cookies are HttpOnly"},
		{ID: "cookies/secure", Level: Must, Run: checkCookieRule(secureRule),
			Title: "token cookies are Secure"},
		{ID: "cookies/samesite", Level: Should, Run: checkCookieRule(sameSiteRule),
			Title: "token cookies are SameSite=Lax or Strict"},
		{ID: "cookies/refresh-path", Level: Should, Run: checkCookieRule(refreshPathRule),
			Title: "the refresh cookie reaches the refresh endpoint and no other"},
		{ID: "cookies/rotated-cookie", Level: Must, Run: checkRotatedCookie,
			Title: "a refresh re-sets both cookies with the rotated tokens"},
	}
}

// setCookie is a token cookie an answer set, and the request it answered.
type setCookie struct {
	*http.Cookie
	where string // "sign-in" or "refresh"
	path  string // the path of the request it answered
}

// cookieRule is what one attribute check holds every token cookie to.
type cookieRule struct {
	// problem describes what is wrong with c, or returns "" when c is right. Only the
	// cookies of the names in only are judged; nil means both token cookies.
	problem func(p *Profile, c setCookie) string
	only    func(p *Profile) []string
	// pass is the summary when every cookie is right; fix ends the failure summary.
	pass, fix string
}

var httpOnlyRule = cookieRule{
	problem: func(_ *Profile, c setCookie) string { return lacking(!c.HttpOnly, "HttpOnly") },
	pass:    "the token cookies set at sign-in and refresh are HttpOnly",
	fix: "so a script injected into the frontend can read the tokens; set them with " +
		"httponly=True",
}

var secureRule = cookieRule{
	problem: func(_ *Profile, c setCookie) string { return lacking(!c.Secure, "Secure") },
	pass:    "the token cookies set at sign-in and refresh are Secure",
	fix: "so the browser also sends the tokens over plain HTTP; set them with " +
		"secure=True",
}

var sameSiteRule = cookieRule{
	problem: func(_ *Profile, c setCookie) string {
		switch c.SameSite {
		case http.SameSiteLaxMode, http.SameSiteStrictMode:
			return ""
		case http.SameSiteNoneMode:
			return "SameSite=None"
		case http.SameSiteDefaultMode:
			return "a SameSite value browsers do not know"
		}
		return "no SameSite"
	},
	pass: "the token cookies set at sign-in and refresh are SameSite=Lax or Strict",
	fix: "so the browser sends the tokens with requests other sites start (CSRF); set " +
		"samesite='Lax' or 'Strict'",
}

var refreshPathRule = cookieRule{
	only: func(p *Profile) []string { return []string{p.Tokens.Refresh} },
	problem: func(p *Profile, c setCookie) string {
		path := cookiePath(c)
		switch {
		case !pathMatch(p.Refresh.Path, path):
			return fmt.Sprintf("Path=%s, which does not reach the refresh endpoint %s "+
				"(the browser never sends it there)", path, p.Refresh.Path)
		case pathMatch(p.User.Path, path):
			return fmt.Sprintf("Path=%s, which also reaches %s", path, p.User.Path)
		}
		return ""
	},
	pass: "the refresh cookie is scoped to the refresh endpoint",
	fix: "so the browser does not send the long-lived token only where it is needed; " +
		"scope the refresh cookie to the refresh endpoint's path",
}

// lacking returns "no " + attr when missing, else "".
func lacking(missing bool, attr string) string {
	if missing {
		return "no " + attr
	}
	return ""
}

// checkCookieRule returns the check that holds every token cookie to rule.
func checkCookieRule(rule cookieRule) func(ctx context.Context, env *Env) Result {
	return func(ctx context.Context, env *Env) Result {
		cookies, res := tokenCookies(ctx, env)
		if res != nil {
			return *res
		}
		names := []string{env.Profile.Tokens.Access, env.Profile.Tokens.Refresh}
		if rule.only != nil {
			names = rule.only(env.Profile)
		}
		var bad []cookieProblem
		for _, c := range cookies {
			if !slices.Contains(names, c.Name) {
				continue
			}
			if problem := rule.problem(env.Profile, c); problem != "" {
				bad = addProblem(bad, problem, c)
			}
		}
		if len(bad) > 0 {
			parts := make([]string, len(bad))
			for i, b := range bad {
				parts[i] = b.String()
			}
			return Fail("%s, %s", strings.Join(parts, "; "), rule.fix)
		}
		return Pass("%s", rule.pass)
	}
}

// cookieProblem is one problem and the cookies that have it.
type cookieProblem struct {
	problem       string
	names, wheres []string
}

// addProblem records that c has problem.
func addProblem(list []cookieProblem, problem string, c setCookie) []cookieProblem {
	i := slices.IndexFunc(list, func(p cookieProblem) bool { return p.problem == problem })
	if i < 0 {
		list, i = append(list, cookieProblem{problem: problem}), len(list)
	}
	p := &list[i]
	if !slices.Contains(p.names, c.Name) {
		p.names = append(p.names, c.Name)
	}
	if !slices.Contains(p.wheres, c.where) {
		p.wheres = append(p.wheres, c.where)
	}
	return list
}

// String says it as "the a and b cookies set at sign-in and refresh have no Secure".
func (p cookieProblem) String() string {
	noun, verb := "cookie", "has"
	if len(p.names) > 1 {
		noun, verb = "cookies", "have"
	}
	return fmt.Sprintf("the %s %s set at %s %s %s", strings.Join(p.names, " and "), noun,
		strings.Join(p.wheres, " and "), verb, p.problem)
}

// tokenCookies signs in and refreshes, and returns the token cookies both answers set.
// res is the verdict when the check does not apply or cannot go on: the profile expects
// no cookies, sign-in fails, or sign-in sets no token cookie.
func tokenCookies(ctx context.Context, env *Env) ([]setCookie, *Result) {
	stop := func(r Result) ([]setCookie, *Result) { return nil, &r }
	p := env.Profile
	if !p.Expect.Cookies {
		return stop(Skip("the profile does not expect cookies (expect.cookies: false)"))
	}
	tokens, login, err := env.Client.signIn(ctx)
	if err != nil {
		return stop(Errored(fmt.Errorf("could not sign in to set the check up: %w", err)))
	}
	cookies := cookiesOf(p, login, "sign-in", p.Login.Path)
	if len(cookies) == 0 {
		return stop(Fail("the sign-in answer sets neither a %s nor a %s cookie although "+
			"the profile expects cookies (expect.cookies)", p.Tokens.Access, p.Tokens.Refresh))
	}
	refresh, err := env.Client.Refresh(ctx, tokens.Refresh)
	if err != nil {
		return stop(Errored(err))
	}
	return append(cookies, cookiesOf(p, refresh, "refresh", p.Refresh.Path)...), nil
}

// cookiesOf returns the token cookies that resp sets.
func cookiesOf(p *Profile, resp *Response, where, path string) []setCookie {
	var out []setCookie
	for _, name := range []string{p.Tokens.Access, p.Tokens.Refresh} {
		if c := resp.Cookie(name); c != nil {
			out = append(out, setCookie{Cookie: c, where: where, path: path})
		}
	}
	return out
}

// cookiePath is the path a browser scopes c to: its Path attribute, or else the
// default path of the request it answered (RFC 6265 section 5.1.4).
func cookiePath(c setCookie) string {
	if strings.HasPrefix(c.Path, "/") {
		return c.Path
	}
	u, err := url.Parse(c.path)
	if err != nil || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	if i := strings.LastIndex(u.Path, "/"); i > 0 {
		return u.Path[:i]
	}
	return "/"
}

// pathMatch reports whether a browser sends a cookie scoped to cookiePath with a
// request for reqPath (RFC 6265 section 5.1.4).
func pathMatch(reqPath, cookiePath string) bool {
	if u, err := url.Parse(reqPath); err == nil {
		reqPath = u.Path
	}
	switch {
	case reqPath == cookiePath:
		return true
	case !strings.HasPrefix(reqPath, cookiePath):
		return false
	}
	return strings.HasSuffix(cookiePath, "/") || reqPath[len(cookiePath)] == '/'
}

func checkRotatedCookie(ctx context.Context, env *Env) Result {
	p := env.Profile
	if !p.Expect.Cookies {
		return Skip("the profile does not expect cookies (expect.cookies: false)")
	}
	tokens, err := env.SignIn(ctx)
	if err != nil {
		return Errored(err)
	}
	resp, err := env.Client.Refresh(ctx, tokens.Refresh)
	if err != nil {
		return Errored(err)
	}
	if !resp.OK() {
		return Errored(fmt.Errorf("%w: %s (see expiry/refresh-after-expiry)", errNoRefresh,
			env.Describe(resp)))
	}

	old := map[string]string{p.Tokens.Access: tokens.Access, p.Tokens.Refresh: tokens.Refresh}
	var stale []string
	for _, name := range []string{p.Tokens.Access, p.Tokens.Refresh} {
		c := resp.Cookie(name)
		switch {
		case c == nil:
			stale = append(stale, "does not set the "+name+" cookie")
		case c.Value == old[name] && (name != p.Tokens.Refresh || p.Expect.Rotation):
			stale = append(stale, "sets the "+name+" cookie to the old token")
		case resp.Field(name) != "" && c.Value != resp.Field(name):
			stale = append(stale, "sets the "+name+" cookie to another token than its body")
		}
	}
	if len(stale) > 0 {
		return Fail("the refresh answer %s, so the browser keeps the spent refresh token and "+
			"its next refresh is refused as a reuse, which logs the user out; set both "+
			"cookies with the new tokens on every refresh answer",
			strings.Join(stale, " and "))
	}
	return Pass("a refresh re-set both token cookies with the new tokens")
}
