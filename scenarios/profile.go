package scenarios

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Profile says how to talk to one backend and what to expect from it. Load one with
// [LoadProfile] or take a built-in with [BuiltinProfile]; a Profile is read-only once a
// run starts.
type Profile struct {
	Name    string `yaml:"name"`
	BaseURL string `yaml:"base_url"`
	// Style is how refresh failures are answered: "drf" (401 token_not_valid) or
	// "rfc6749" (400 invalid_grant).
	Style   string      `yaml:"style"`
	Login   Endpoint    `yaml:"login"`
	Refresh Endpoint    `yaml:"refresh"`
	User    Endpoint    `yaml:"user"`
	Logout  *Endpoint   `yaml:"logout"` // nil: the backend has no logout endpoint
	Tokens  TokenFields `yaml:"tokens"`
	Google  GoogleApp   `yaml:"google"`
	Expect  Expect      `yaml:"expect"`
	// SigningKey is the backend's HS256 key; when set, white-box token checks run.
	SigningKey string `yaml:"signing_key"`
	// ClockURL is the backend's test clock (refserver's POST /_refserver/clock); when set,
	// expiry checks move it instead of waiting real time.
	ClockURL string `yaml:"clock_url"`
	// Transport is TransportREST (also when empty) or TransportGraphQL. With GraphQL the
	// Client runs GraphQL's operations instead of the login, refresh, user and logout
	// requests, and ParseProfile points those endpoints at GraphQL.Endpoint so that
	// reports name it.
	Transport string `yaml:"transport"`
	// GraphQL describes the operations of a GraphQL target; nil for REST.
	GraphQL *GraphQL `yaml:"graphql"`

	source locator // where ParseProfile read the profile from
}

// Encodings of request bodies.
const (
	EncodingForm = "form" // application/x-www-form-urlencoded, as Nuxt Auth sends it
	EncodingJSON = "json"
)

// Error styles of refresh failures.
const (
	StyleDRF     = "drf"     // 401 {"detail": ..., "code": "token_not_valid"}
	StyleRFC6749 = "rfc6749" // 400 {"error": "invalid_grant"}
)

// Endpoint is one request of the flow: where it goes, how its body is encoded and, for
// refresh and logout, the name of the field that carries the refresh token.
type Endpoint struct {
	Path     string `yaml:"path"`
	Encoding string `yaml:"encoding"`
	Field    string `yaml:"field"`
}

// TokenFields names the fields of a login or refresh answer that hold the tokens.
type TokenFields struct {
	Access  string `yaml:"access"`
	Refresh string `yaml:"refresh"`
}

// GoogleApp is the Google OAuth client the backend is configured with, and whether the
// frontend uses PKCE.
type GoogleApp struct {
	ClientID     string `yaml:"client_id"`
	ClientSecret string `yaml:"client_secret"`
	RedirectURI  string `yaml:"redirect_uri"`
	PKCE         bool   `yaml:"pkce"`
}

// Expect is what the backend promises.
type Expect struct {
	AccessTTL    Duration `yaml:"access_ttl"`
	RefreshTTL   Duration `yaml:"refresh_ttl"`
	Rotation     bool     `yaml:"rotation"`      // refresh answers a new refresh token
	ReuseRefused bool     `yaml:"reuse_refused"` // a rotated-out refresh token is refused
	Cookies      bool     `yaml:"cookies"`       // tokens are also set as cookies
	// PKCE says the backend forwards the frontend's code_verifier to Google.
	PKCE bool `yaml:"pkce"`
	// ReuseGrace is the window in which a duplicate refresh gets the same successor instead
	// of a refusal; reuse checks wait past it before reusing a rotated token.
	ReuseGrace Duration `yaml:"reuse_grace"`
}

// Duration is a time.Duration written in profiles as "5m" or "720h".
type Duration time.Duration

// String formats d like time.Duration does.
func (d Duration) String() string { return time.Duration(d).String() }

// builtins are the profiles a user can name instead of giving a file. Each entry is a
// function so that callers get a fresh copy to adjust.
var builtins = map[string]func() *Profile{
	"nuxt-drf":  nuxtDRFProfile,
	"simplejwt": simpleJWTProfile,
	"cookies":   cookiesProfile,
	"graphql":   graphqlProfile,
}

// BuiltinProfiles returns the names of the built-in profiles, sorted.
func BuiltinProfiles() []string {
	names := make([]string, 0, len(builtins))
	for name := range builtins {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// BuiltinProfile returns a fresh copy of the named built-in profile, and false when there
// is none by that name. Its BaseURL is the usual Django development address.
func BuiltinProfile(name string) (*Profile, bool) {
	build, ok := builtins[name]
	if !ok {
		return nil, false
	}
	return build(), true
}

// defaultProfile holds the values a profile file starts from before its fields apply:
// the Nuxt Auth oauth2 scheme against a DRF + SimpleJWT backend.
func defaultProfile() *Profile {
	return &Profile{
		BaseURL: "http://127.0.0.1:8000",
		Style:   StyleDRF,
		Login:   Endpoint{Path: "/social-login/google/", Encoding: EncodingForm, Field: "code"},
		Refresh: Endpoint{
			Path: "/social-login/google/", Encoding: EncodingForm, Field: "refresh_token",
		},
		User:   Endpoint{Path: "/auth/user/"},
		Tokens: TokenFields{Access: "access_token", Refresh: "refresh_token"},
		Google: GoogleApp{
			ClientID:     "authprobe-client",
			ClientSecret: "authprobe-secret",
			RedirectURI:  "http://localhost:3000/login",
		},
		Expect: Expect{
			AccessTTL:    Duration(5 * time.Minute),
			RefreshTTL:   Duration(720 * time.Hour),
			Rotation:     true,
			ReuseRefused: true,
		},
	}
}

func nuxtDRFProfile() *Profile {
	p := defaultProfile()
	p.Name = "nuxt-drf"
	p.Logout = &Endpoint{Path: "/auth/logout/", Encoding: EncodingJSON, Field: "refresh"}
	return p
}

func simpleJWTProfile() *Profile {
	p := defaultProfile()
	p.Name = "simplejwt"
	p.Login.Encoding = EncodingJSON
	p.Refresh = Endpoint{Path: "/api/token/refresh/", Encoding: EncodingJSON, Field: "refresh"}
	p.Tokens = TokenFields{Access: "access", Refresh: "refresh"}
	p.Logout = &Endpoint{Path: "/auth/logout/", Encoding: EncodingJSON, Field: "refresh"}
	return p
}

// cookiesProfile is a backend that sets the tokens as cookies too, refreshing at a
// separate endpoint that the refresh cookie is scoped to; the token field names are the
// cookie names.
func cookiesProfile() *Profile {
	p := nuxtDRFProfile()
	p.Name = "cookies"
	p.Refresh = Endpoint{Path: "/auth/token/refresh/", Encoding: EncodingJSON, Field: "refresh"}
	p.Expect.Cookies = true
	return p
}

// expectSetters apply one --expect KEY=VALUE override each.
var expectSetters = map[string]func(e *Expect, v string) error{
	"access_ttl":    func(e *Expect, v string) error { return parseDuration(v, &e.AccessTTL) },
	"refresh_ttl":   func(e *Expect, v string) error { return parseDuration(v, &e.RefreshTTL) },
	"reuse_grace":   func(e *Expect, v string) error { return parseDuration(v, &e.ReuseGrace) },
	"rotation":      func(e *Expect, v string) error { return parseBool(v, &e.Rotation) },
	"reuse_refused": func(e *Expect, v string) error { return parseBool(v, &e.ReuseRefused) },
	"cookies":       func(e *Expect, v string) error { return parseBool(v, &e.Cookies) },
	"pkce":          func(e *Expect, v string) error { return parseBool(v, &e.PKCE) },
}

// SetExpect overrides one expectation from a "KEY=VALUE" string, such as
// "access_ttl=15m" or "rotation=false". It returns an error naming the known keys when KEY
// is unknown, or when VALUE does not parse.
func (p *Profile) SetExpect(kv string) error {
	key, value, ok := strings.Cut(kv, "=")
	if !ok {
		return fmt.Errorf("scenarios: expectation %q is not KEY=VALUE", kv)
	}
	set, ok := expectSetters[strings.TrimSpace(key)]
	if !ok {
		keys := make([]string, 0, len(expectSetters))
		for k := range expectSetters {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return fmt.Errorf("scenarios: unknown expectation %q (known: %s)",
			key, strings.Join(keys, ", "))
	}
	if err := set(&p.Expect, strings.TrimSpace(value)); err != nil {
		return fmt.Errorf("scenarios: expectation %s: %w", key, err)
	}
	return nil
}

func parseDuration(s string, d *Duration) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	if v < 0 {
		return fmt.Errorf("duration %s is negative", s)
	}
	*d = Duration(v)
	return nil
}

func parseBool(s string, b *bool) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("%q is not true or false", s)
	}
	*b = v
	return nil
}
