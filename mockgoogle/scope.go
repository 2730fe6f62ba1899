package mockgoogle

import (
	"slices"
	"strings"
)

// Scope values Google accepts for sign-in, and the full forms it grants them as.
const (
	scopeOpenID       = "openid"
	scopeEmailURL     = "https://www.googleapis.com/auth/userinfo.email"
	scopeProfileURL   = "https://www.googleapis.com/auth/userinfo.profile"
	googleScopePrefix = "https://www.googleapis.com/auth/"
)

// invalidScopes returns the requested scopes Google would refuse for sign-in.
func invalidScopes(scope string) []string {
	var bad []string
	for _, sc := range strings.Fields(scope) {
		switch {
		case sc == scopeOpenID, sc == "email", sc == "profile":
		case strings.HasPrefix(sc, googleScopePrefix):
		default:
			bad = append(bad, sc)
		}
	}
	return bad
}

// grantedScope returns the scope as Google grants it: short email and profile scopes
// become their full URLs, and repeats go.
func grantedScope(scope string) string {
	var out []string
	for _, sc := range strings.Fields(scope) {
		switch sc {
		case "email":
			sc = scopeEmailURL
		case "profile":
			sc = scopeProfileURL
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return strings.Join(out, " ")
}

// hasScope reports whether a granted scope includes want.
func hasScope(granted, want string) bool {
	return slices.Contains(strings.Fields(granted), want)
}
