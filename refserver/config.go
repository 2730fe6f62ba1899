package refserver

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Config configures a [Server]. Every empty field means the documented default.
type Config struct {
	// GoogleURL is the OpenID provider's base URL (mockgoogle's, or any provider's). Its
	// discovery document is fetched on the first sign-in and cached.
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
	// SigningKey is the HS256 key. Empty means a random key per start, so that tokens do not
	// survive a restart; set it to keep them valid across restarts. RS256 and EdDSA ignore
	// it.
	SigningKey string
	// Algorithm is HS256 (the default), RS256 or EdDSA. The last two use a key pair made at
	// start and publish it at GET /auth/jwks/.
	Algorithm string
	// AccessTTL is the access token lifetime; empty means 5 minutes.
	AccessTTL time.Duration
	// RefreshTTL is the refresh token lifetime; empty means 720 hours.
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
	if cfg.AccessTTL <= 0 {
		cfg.AccessTTL = defaultAccessTTL
	}
	if cfg.RefreshTTL <= 0 {
		cfg.RefreshTTL = defaultRefreshTTL
	}
	if cfg.AccessTTL < time.Second || cfg.RefreshTTL < time.Second {
		return cfg, fmt.Errorf("%w: token lifetimes under a second", ErrInvalidConfig)
	}
	if cfg.ReuseGrace < 0 {
		return cfg, fmt.Errorf("%w: negative reuse grace %s", ErrInvalidConfig, cfg.ReuseGrace)
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
	if cfg.GoogleURL == "" {
		return cfg, fmt.Errorf("%w: no Google URL", ErrInvalidConfig)
	}
	if strings.Contains(cfg.DB, "?") {
		return cfg, fmt.Errorf("%w: database path %q contains '?'", ErrInvalidConfig, cfg.DB)
	}

	if err := cfg.resolveAlgorithm(faults); err != nil {
		return cfg, err
	}
	switch cfg.ErrorStyle {
	case styleDRF, styleRFC6749:
	default:
		return cfg, fmt.Errorf("%w: unknown error style %q (known: drf, rfc6749)",
			ErrInvalidConfig, cfg.ErrorStyle)
	}
	return cfg, nil
}

// resolveAlgorithm applies the default algorithm and the faults that force one.
func (cfg *Config) resolveAlgorithm(faults faultSet) error {
	if faults.on(FaultWeakSecret) && faults.on(FaultKeyConfusion) {
		return fmt.Errorf("%w: faults weak-secret and key-confusion exclude each other",
			ErrInvalidConfig)
	}
	switch {
	case faults.on(FaultWeakSecret):
		cfg.Algorithm, cfg.SigningKey = algHS256, "secret"
	case faults.on(FaultKeyConfusion) && cfg.Algorithm == "":
		cfg.Algorithm = algRS256
	case cfg.Algorithm == "":
		cfg.Algorithm = algHS256
	}

	switch cfg.Algorithm {
	case algHS256:
		if faults.on(FaultKeyConfusion) {
			return fmt.Errorf("%w: fault key-confusion needs RS256 or EdDSA", ErrInvalidConfig)
		}
	case algRS256, algEdDSA:
		cfg.SigningKey = ""
	default:
		return fmt.Errorf("%w: unknown algorithm %q (known: HS256, RS256, EdDSA)",
			ErrInvalidConfig, cfg.Algorithm)
	}
	return nil
}

func setDefault(s *string, def string) {
	if *s == "" {
		*s = def
	}
}
