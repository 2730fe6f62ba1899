package refserver

import (
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Config configures a [Server]. Every empty field means the documented default. [New]
// refuses a value it cannot use with a *[ConfigError] naming the field.
type Config struct {
	// GoogleURL is the OpenID provider's base URL (mockgoogle's, or any provider's), an
	// absolute http or https URL. Its discovery document is fetched on the first sign-in
	// and cached.
	GoogleURL string
	// ClientID is the Google client; empty means mockgoogle's default, authprobe-client.
	ClientID string
	// ClientSecret goes with ClientID; empty means authprobe-secret.
	ClientSecret string
	// RedirectURL is sent to Google when a sign-in request names no redirect_uri; empty
	// means http://localhost:3000/login, Nuxt Auth's default callback.
	RedirectURL string
	// DB is the SQLite database file, created when missing. ":memory:" keeps everything in
	// memory. Empty means authprobe-refserver.db in the working directory ([NewServer] uses
	// ":memory:" instead).
	DB string
	// SigningKey is the HS256 key, at least 32 bytes. Empty means a random
	// key per start, so that tokens do not survive a restart; set it to keep them valid
	// across restarts. RS256 and EdDSA generate their key pair at start and refuse it; the
	// weak-secret fault replaces it.
	SigningKey string
	// Algorithm is HS256 (the default), RS256 or EdDSA. The last two use a key pair made at
	// start and publish it at GET /auth/jwks/.
	Algorithm string
	// AccessTTL is the access token lifetime, at least a second and shorter than RefreshTTL;
	// zero means 5 minutes.
	AccessTTL time.Duration
	// RefreshTTL is the refresh token lifetime, at least a second; zero means 720 hours.
	RefreshTTL time.Duration
	// ReuseGrace, when positive, gives every duplicate refresh that arrives within it of a
	// rotation the same successor pair instead of revoking the family.
	ReuseGrace time.Duration
	// Cookies also sets the tokens as HttpOnly cookies and accepts them from cookies.
	Cookies bool
	// TestClock serves POST /_refserver/clock, which moves the server's clock forward.
	TestClock bool
	// ErrorStyle is "drf" (SimpleJWT's bodies, the default) or "rfc6749".
	ErrorStyle string
	// Faults switches on real-world bugs, one check's worth each; see [ParseFault]. Each
	// makes the server insecure on purpose: serve a faulted server on loopback only.
	Faults []Fault
	// HTTPClient talks to Google; nil means a client with a 10 second timeout.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now. The test clock moves on from it.
	Now func() time.Time
	// Logger receives one record per request at debug level and lifecycle records at info;
	// nil discards them.
	Logger *slog.Logger
}

// Defaults for the empty Config fields.
const (
	defaultClientID     = "authprobe-client"
	defaultClientSecret = "authprobe-secret"
	defaultRedirectURL  = "http://localhost:3000/login"
	defaultDB           = "authprobe-refserver.db"
	defaultAccessTTL    = 5 * time.Minute
	defaultRefreshTTL   = 720 * time.Hour
	googleTimeout       = 10 * time.Second
)

// Algorithms refserver signs with.
const (
	algHS256 = "HS256"
	algRS256 = "RS256"
	algEdDSA = "EdDSA"
)

// Error styles.
const (
	styleDRF     = "drf"
	styleRFC6749 = "rfc6749"
)

// resolve fills in the defaults and checks the values, without touching the caller's copy.
func (cfg Config) resolve(faults faultSet) (Config, error) {
	setDefault(&cfg.ClientID, defaultClientID)
	setDefault(&cfg.ClientSecret, defaultClientSecret)
	setDefault(&cfg.RedirectURL, defaultRedirectURL)
	setDefault(&cfg.DB, defaultDB)
	setDefault(&cfg.ErrorStyle, styleDRF)
	if err := cfg.resolveLifetimes(); err != nil {
		return cfg, err
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: googleTimeout}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if err := checkGoogleURL(cfg.GoogleURL); err != nil {
		return cfg, err
	}
	if strings.Contains(cfg.DB, "?") {
		return cfg, invalid("DB", "path %q contains '?'", cfg.DB)
	}
	if err := cfg.resolveAlgorithm(faults); err != nil {
		return cfg, err
	}
	switch cfg.ErrorStyle {
	case styleDRF, styleRFC6749:
	default:
		return cfg, invalid("ErrorStyle", "unknown error style %q (known: drf, rfc6749)",
			cfg.ErrorStyle)
	}
	return cfg, nil
}

// resolveAlgorithm applies the default algorithm and the faults that force one, and checks
// the signing key against it. The weak-secret fault brings its own key.
func (cfg *Config) resolveAlgorithm(faults faultSet) error {
	if faults.on(FaultWeakSecret) && faults.on(FaultKeyConfusion) {
		return invalid("Faults", "weak-secret and key-confusion exclude each other")
	}
	switch {
	case faults.on(FaultWeakSecret):
		cfg.Algorithm, cfg.SigningKey = algHS256, weakSecret
		return nil
	case faults.on(FaultKeyConfusion) && cfg.Algorithm == "":
		cfg.Algorithm = algRS256
	case cfg.Algorithm == "":
		cfg.Algorithm = algHS256
	}

	switch cfg.Algorithm {
	case algHS256:
		if faults.on(FaultKeyConfusion) {
			return invalid("Faults", "key-confusion needs RS256 or EdDSA")
		}
	case algRS256, algEdDSA:
	default:
		return invalid("Algorithm", "unknown algorithm %q (known: HS256, RS256, EdDSA)",
			cfg.Algorithm)
	}
	return checkSigningKey(cfg.Algorithm, cfg.SigningKey)
}

func setDefault(s *string, def string) {
	if *s == "" {
		*s = def
	}
}
