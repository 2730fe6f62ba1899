package refserver

import (
	"fmt"
	"net/url"
	"time"
)

// minSigningKeyLen is the shortest HS256 key New accepts, in bytes: as long as the hash
// output, as RFC 7518 section 3.2 requires and PyJWT enforces.
const minSigningKeyLen = 32

// weakSecret is the key the weak-secret fault signs with.
const weakSecret = "secret"

// ConfigError is a [Config] field [New] cannot use. It wraps [ErrInvalidConfig]; Field
// lets a caller that took the value from elsewhere, such as a command-line flag, say
// where it came from.
type ConfigError struct {
	// Field is the name of the Config field, such as "AccessTTL".
	Field string
	// Problem says what is wrong with the value. Secrets are described, never quoted.
	Problem string
}

// Error returns the field and the problem, after ErrInvalidConfig's text.
func (e *ConfigError) Error() string {
	return ErrInvalidConfig.Error() + ": " + e.Field + ": " + e.Problem
}

// Unwrap returns [ErrInvalidConfig].
func (e *ConfigError) Unwrap() error { return ErrInvalidConfig }

// invalid returns a *ConfigError for field.
func invalid(field, format string, args ...any) *ConfigError {
	return &ConfigError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// resolveLifetimes applies the default lifetimes to zero fields and checks that both are
// at least a second and that access tokens expire before refresh tokens.
func (cfg *Config) resolveLifetimes() error {
	if err := resolveLifetime("AccessTTL", &cfg.AccessTTL, defaultAccessTTL); err != nil {
		return err
	}
	if err := resolveLifetime("RefreshTTL", &cfg.RefreshTTL, defaultRefreshTTL); err != nil {
		return err
	}
	if cfg.AccessTTL >= cfg.RefreshTTL {
		return invalid("AccessTTL", "access token lifetime %s is not shorter than the refresh "+
			"token lifetime %s", cfg.AccessTTL, cfg.RefreshTTL)
	}
	if cfg.ReuseGrace < 0 {
		return invalid("ReuseGrace", "%s is negative; want 0 (off) or more", cfg.ReuseGrace)
	}
	return nil
}

// resolveLifetime sets *d to def when it is zero and refuses it under a second.
func resolveLifetime(field string, d *time.Duration, def time.Duration) error {
	switch {
	case *d == 0:
		*d = def
	case *d < 0:
		return invalid(field, "%s is negative; want at least 1s, or 0 for the default %s",
			*d, def)
	case *d < time.Second:
		return invalid(field, "%s is under a second; want at least 1s", *d)
	}
	return nil
}

// checkGoogleURL checks that the provider's base URL is an absolute http or https URL with
// a host, to which the discovery path can be appended.
func checkGoogleURL(raw string) error {
	if raw == "" {
		return invalid("GoogleURL", "required: the base URL of mockgoogle or of an OpenID "+
			"provider, such as http://127.0.0.1:9090")
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil, u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		return invalid("GoogleURL", "%q is not an absolute http or https URL with a host, "+
			"such as http://127.0.0.1:9090", raw)
	case u.RawQuery != "" || u.Fragment != "":
		return invalid("GoogleURL", "%q has a query or fragment; want the base URL the "+
			"discovery path goes after", raw)
	}
	return nil
}

// checkSigningKey checks the key given for the resolved algorithm. It never quotes the key.
func checkSigningKey(alg, key string) error {
	switch {
	case key == "":
		return nil
	case alg != algHS256:
		return invalid("SigningKey", "%s signs with a key pair generated at start (its public "+
			"half served at /auth/jwks/), so a signing key cannot be given: leave it empty "+
			"or use HS256", alg)
	case len(key) < minSigningKeyLen:
		return invalid("SigningKey", "%d bytes is too short: an HS256 key needs at least %d "+
			"(RFC 7518 section 3.2)", len(key), minSigningKeyLen)
	}
	return nil
}
