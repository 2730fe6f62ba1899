package mockgoogle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Quirk is an opt-in deviation from Google's documented behaviour, for testing that a
// backend copes with what Google is known to do now and then.
type Quirk string

// QuirkSchemelessIssuer makes id_tokens carry the issuer without its scheme, as in
// Google's legacy "accounts.google.com" form, while discovery keeps the full URL. Google
// documents that iss may take either form, and backends must accept both.
const QuirkSchemelessIssuer Quirk = "schemeless-issuer"

// Config configures a Server. The zero value is a Google with one client and one user.
type Config struct {
	// Users are the accounts that can sign in. The first is the one signed in when no user
	// is queued. Empty: the single user DefaultUser returns.
	Users []User
	// Clients are the registered OAuth clients. Empty: the single client DefaultClient
	// returns, which accepts any redirect URI on localhost or 127.0.0.1.
	Clients []Client
	// Issuer is the id_token iss and the discovery issuer. Empty: the server's base URL.
	Issuer string
	// Quirks are the opt-in deviations from Google to switch on.
	Quirks []Quirk
	// Interactive makes the authorization endpoint show an account chooser listing Users
	// instead of signing in at once, unless a user is queued.
	Interactive bool
	// AllowRemoteControl serves the /_mock/ control API to non-loopback peers too. Anyone
	// who can reach the server can then sign in as anyone and read the request log, so
	// the caller must make sure only trusted peers can reach it.
	AllowRemoteControl bool
	// Now is the time source; nil means time.Now. Server.Advance moves it forward.
	Now func() time.Time
	// Logger receives one record per request, tokens only as token_fp. Nil: discard.
	Logger *slog.Logger
}

// Server is a fake Google OAuth 2.0 and OpenID Connect provider. It is an http.Handler,
// so it can also be mounted on a server of the caller's own; Start serves it on an
// address of its own. All methods are safe for concurrent use.
type Server struct {
	cfg     Config
	users   []User
	clients map[string]Client
	log     *slog.Logger
	mux     *http.ServeMux
	keys    *keyring
	clock   *clock
	store   *store
	faults  faultQueue
	reqlog  requestLog
	done    chan struct{} // closed by Close, to cut fault latencies short

	mu      sync.Mutex // guards the fields below
	httpSrv *http.Server
	url     string
	closed  bool
}

var _ http.Handler = (*Server)(nil)

// New returns a server for cfg that is not listening yet. It fails with ErrInvalidConfig
// when users or clients are incomplete or repeated, or a quirk is unknown.
func New(cfg Config) (*Server, error) {
	if err := validateConfig(cfg); err != nil {
		return nil, fmt.Errorf("mockgoogle: %w", err)
	}
	keys, err := newKeyring()
	if err != nil {
		return nil, err
	}

	s := &Server{
		cfg:     cfg,
		users:   cfg.Users,
		clients: make(map[string]Client),
		log:     cfg.Logger,
		keys:    keys,
		clock:   newClock(cfg.Now),
		store:   newStore(),
		done:    make(chan struct{}),
	}
	if len(s.users) == 0 {
		s.users = []User{DefaultUser()}
	}
	clients := cfg.Clients
	if len(clients) == 0 {
		clients = []Client{DefaultClient()}
	}
	for _, c := range clients {
		s.clients[c.ID] = c
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.mux = s.routes()
	return s, nil
}

// NewServer starts a server for cfg on 127.0.0.1:0 and closes it when the test ends. It
// fails the test if the server cannot start.
func NewServer(t testing.TB, cfg Config) *Server {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("mockgoogle: %v", err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("mockgoogle: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("mockgoogle: close: %v", err)
		}
	})
	return s
}

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves in the background
// until Close. It fails if the server was started or closed before.
func (s *Server) Start(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.httpSrv != nil || s.closed {
		return errors.New("mockgoogle: server already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("mockgoogle: listen %s: %w", addr, err)
	}

	s.url = "http://" + ln.Addr().String()
	s.httpSrv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := s.httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("serve", "err", err)
		}
	}()
	s.log.Info("listening", "url", s.url)
	return nil
}

// URL returns the base URL, such as http://127.0.0.1:40123, once Start has run; before
// that it is empty and the server answers with the base URL of each request's Host.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Close stops the server, waiting for requests in flight; pending fault latencies are cut
// short. Calling it more than once, or on a server never started, is harmless.
func (s *Server) Close() error {
	s.mu.Lock()
	srv := s.httpSrv
	already := s.closed
	s.closed = true
	s.mu.Unlock()
	if already {
		return nil
	}

	close(s.done)
	if srv == nil {
		return nil
	}
	if err := srv.Shutdown(context.Background()); err != nil {
		return fmt.Errorf("mockgoogle: shutdown: %w", err)
	}
	return nil
}

// ServeHTTP serves the provider endpoints and the /_mock/ control API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// routes assembles every handler in one place.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	get := []string{http.MethodGet, http.MethodHead}
	getPost := []string{http.MethodGet, http.MethodPost}
	post := []string{http.MethodPost}

	s.handle(mux, "/.well-known/openid-configuration", EndpointDiscovery, get, s.serveDiscovery)
	s.handle(mux, "/oauth2/v3/certs", EndpointJWKS, get, s.serveJWKS)
	s.handle(mux, authorizePath, EndpointAuthorize, getPost, s.serveAuthorize)
	s.handle(mux, "/o/oauth2/auth", EndpointAuthorize, getPost, s.serveAuthorize)
	s.handle(mux, chooserPath, EndpointAuthorize, post, s.serveChosen)
	s.handle(mux, "/token", EndpointToken, post, s.serveToken)
	s.handle(mux, "/v1/userinfo", EndpointUserinfo, getPost, s.serveUserinfo)
	s.handle(mux, "/oauth2/v3/userinfo", EndpointUserinfo, getPost, s.serveUserinfo)
	s.handle(mux, "/tokeninfo", EndpointTokeninfo, getPost, s.serveTokeninfo)
	s.handle(mux, "/oauth2/v3/tokeninfo", EndpointTokeninfo, getPost, s.serveTokeninfo)
	s.handle(mux, "/revoke", EndpointRevoke, post, s.serveRevoke)
	s.controlRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, s.log, &oauthError{
			status: http.StatusNotFound, code: "not_found",
			description: "No such endpoint: " + r.URL.Path,
		})
	})
	return mux
}

// baseURL returns the URL the server is reached at.
func (s *Server) baseURL(r *http.Request) string {
	if u := s.URL(); u != "" {
		return u
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// issuer returns the discovery issuer.
func (s *Server) issuer(r *http.Request) string {
	if s.cfg.Issuer != "" {
		return s.cfg.Issuer
	}
	return s.baseURL(r)
}

// hasQuirk reports whether q is switched on.
func (s *Server) hasQuirk(q Quirk) bool {
	for _, have := range s.cfg.Quirks {
		if have == q {
			return true
		}
	}
	return false
}

// client returns the registered client with that ID.
func (s *Server) client(id string) (Client, bool) {
	c, ok := s.clients[id]
	return c, ok
}

// userBySub returns the configured user with that sub.
func (s *Server) userBySub(sub string) (User, bool) {
	for _, u := range s.users {
		if u.Sub == sub {
			return u, true
		}
	}
	return User{}, false
}
