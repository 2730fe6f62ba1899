package refserver

import (
	"net/http"
)

// loginResponse is the login endpoint's answer: Nuxt Auth reads access_token and
// refresh_token, SimpleJWT clients access and refresh.
type loginResponse struct {
	AccessToken  string `json:"access_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Access       string `json:"access"`
	Refresh      string `json:"refresh,omitempty"`
	ExpiresIn    int64  `json:"expires_in,omitempty"` // seconds until the access token expires
}

// refreshResponse is SimpleJWT's refresh answer.
type refreshResponse struct {
	Access  string `json:"access"`
	Refresh string `json:"refresh,omitempty"`
}

// writeLogin answers the login endpoint with p. rotated says p came from a refresh rather
// than a sign-in, which the drop-refresh and stale-cookie faults care about.
func (s *Server) writeLogin(w http.ResponseWriter, r *http.Request, p pair, rotated bool) {
	shown := s.answered(p, rotated)
	resp := loginResponse{Access: shown.access, Refresh: shown.refresh}
	if !s.faults.on(FaultSimpleJWTKeys) {
		resp.AccessToken, resp.RefreshToken = shown.access, shown.refresh
		resp.ExpiresIn = s.expiresIn(p)
	}
	s.writeTokenHeaders(w, p, rotated)
	s.writeJSON(w, r, http.StatusOK, resp)
}

// writeRefresh answers the refresh endpoint with p.
func (s *Server) writeRefresh(w http.ResponseWriter, r *http.Request, p pair) {
	shown := s.answered(p, true)
	resp := refreshResponse{Access: shown.access, Refresh: shown.refresh}
	s.writeTokenHeaders(w, p, true)
	s.writeJSON(w, r, http.StatusOK, resp)
}

// answered is the pair a token answer shows: p, without its refresh token when p came
// from a refresh under the drop-refresh fault.
func (s *Server) answered(p pair, rotated bool) pair {
	if rotated && s.faults.on(FaultDropRefresh) {
		p.refresh = ""
	}
	return p
}

// expiresIn is how many seconds p's access token has left.
func (s *Server) expiresIn(p pair) int64 {
	return max(p.accessExp-s.clock.now().Unix(), 0)
}

// writeTokenHeaders forbids caching (RFC 6749 section 5.1) and, in cookie mode, sets the
// token cookies.
func (s *Server) writeTokenHeaders(w http.ResponseWriter, p pair, rotated bool) {
	if !s.faults.on(FaultNoStoreMissing) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
	}
	if s.cfg.Cookies && !(rotated && s.faults.on(FaultStaleCookie)) {
		s.setTokenCookies(w, p)
	}
}
