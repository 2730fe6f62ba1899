package refserver

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

// shutdownTimeout bounds how long Close waits for requests in flight.
const shutdownTimeout = 5 * time.Second

// Server is the reference backend: an http.Handler for its endpoints and, once started, a
// listener on a loopback or other address. Create one with [New] or, in tests,
// [NewServer]. A Server is safe for concurrent use.
type Server struct {
	cfg      Config
	faults   faultSet
	log      *slog.Logger
	clock    *clock
	store    *store
	keys     *keys
	verifier *verifier
	issuer   issuer
	google   *provider
	codes    *codeCache // sign-ins by code, only under the code-replay fault
	handler  http.Handler

	mu     sync.Mutex
	srv    *http.Server
	url    string
	closed bool
}

var _ http.Handler = (*Server)(nil)

// New checks cfg, opens (or creates) the database and makes the signing key. The server
// does not listen until [Server.Start]; it can also be mounted as an http.Handler. Call
// [Server.Close] to release the database. Errors from a bad Config wrap
// [ErrInvalidConfig] or [ErrUnknownFault].
func New(ctx context.Context, cfg Config) (*Server, error) {
	faults, err := newFaultSet(cfg.Faults)
	if err != nil {
		return nil, err
	}
	cfg, err = cfg.resolve(faults)
	if err != nil {
		return nil, err
	}

	k, err := newKeys(cfg.Algorithm, cfg.SigningKey)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:    cfg,
		faults: faults,
		log:    slog.New(contextHandler{cfg.Logger.Handler()}),
		clock:  &clock{base: cfg.Now},
		keys:   k,
		issuer: newIssuer(cfg, faults),
		google: &provider{baseURL: cfg.GoogleURL, clientID: cfg.ClientID,
			clientSecret: cfg.ClientSecret, client: cfg.HTTPClient},
	}
	s.verifier = newVerifier(k, s.clock.now, faults)
	if faults.on(FaultCodeReplay) {
		s.codes = newCodeCache()
	}

	s.store, err = openStore(ctx, cfg.DB, newRotationPolicy(cfg, faults))
	if err != nil {
		return nil, err
	}
	s.handler = s.routes()
	return s, nil
}

// newIssuer applies the lifetimes and the faults that bend them.
func newIssuer(cfg Config, faults faultSet) issuer {
	is := issuer{accessTTL: cfg.AccessTTL, refreshTTL: cfg.RefreshTTL,
		dupJTI: faults.on(FaultDupJTI)}
	if faults.on(FaultLongAccess) {
		is.accessTTL = faultAccessTTL
	}
	if faults.on(FaultLongRefresh) {
		is.refreshTTL *= faultRefreshTTLFactor
	}
	return is
}

// newRotationPolicy applies the grace window and the faults that change rotation.
func newRotationPolicy(cfg Config, faults faultSet) rotationPolicy {
	return rotationPolicy{
		grace:          cfg.ReuseGrace,
		keepSpent:      faults.on(FaultNoBlacklist),
		unsaved:        faults.on(FaultUnsavedRotation),
		noFamilyRevoke: faults.on(FaultNoFamilyRevoke),
		racy:           faults.on(FaultRacyRotation),
	}
}

// ServeHTTP serves refserver's endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Start listens on addr (for example "127.0.0.1:0") and serves in the background. It
// returns once the listener is open; [Server.URL] then gives its base URL. Starting a
// server twice is an error.
func (s *Server) Start(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil || s.closed {
		return errors.New("refserver: server already started or closed")
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("refserver: listen %s: %w", addr, err)
	}
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	s.url = "http://" + ln.Addr().String()
	s.log.Info("listening", "url", s.url, "algorithm", s.cfg.Algorithm,
		"faults", s.cfg.Faults)

	srv := s.srv
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("serve", "err", err)
		}
	}()
	return nil
}

// URL returns the base URL the server listens on, such as http://127.0.0.1:40123, or ""
// before [Server.Start].
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Close stops the listener, waits up to five seconds for requests in flight, and closes
// the database. Closing a closed server does nothing.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true

	var errs []error
	if s.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("refserver: shut down: %w", err), s.srv.Close())
		}
	}
	errs = append(errs, s.store.close())
	return errors.Join(errs...)
}

// NewServer is [New] and [Server.Start] on 127.0.0.1:0 for tests, with [Server.Close]
// registered through t.Cleanup. An empty cfg.DB means ":memory:" here. It fails the test
// if the server cannot start.
func NewServer(t testing.TB, cfg Config) *Server {
	t.Helper()
	if cfg.DB == "" {
		cfg.DB = ":memory:"
	}
	s, err := New(t.Context(), cfg)
	if err != nil {
		t.Fatalf("new refserver: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("refserver: close: %v", err)
		}
	})
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("start refserver: %v", err)
	}
	return s
}
