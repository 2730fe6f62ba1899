package refserver

import (
	"net/http"
)

// Cookie names in cookie mode.
const (
	cookieAccess  = "access_token"
	cookieRefresh = "refresh_token"
)

// setTokenCookies sets both token cookies, each living as long as its token.
func (s *Server) setTokenCookies(w http.ResponseWriter, p pair) {
	now := s.clock.now().Unix()
	http.SetCookie(w, s.cookie(cookieAccess, p.access, max(p.accessExp-now, 1)))
	http.SetCookie(w, s.cookie(cookieRefresh, p.refresh, max(p.refreshExp-now, 1)))
}

// clearTokenCookies expires both token cookies, with the attributes they were set with.
func (s *Server) clearTokenCookies(w http.ResponseWriter) {
	http.SetCookie(w, s.cookie(cookieAccess, "", -1))
	http.SetCookie(w, s.cookie(cookieRefresh, "", -1))
}

// cookie builds a token cookie: HttpOnly, Secure and SameSite=Lax, the refresh cookie scoped
// to the refresh path; the insecure-cookies fault drops all of that. A negative maxAge
// deletes the cookie.
func (s *Server) cookie(name, value string, maxAge int64) *http.Cookie {
	c := &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge)}
	if s.faults.on(FaultInsecureCookies) {
		return c
	}
	if name == cookieRefresh {
		c.Path = pathRefresh
	}
	c.HttpOnly, c.Secure, c.SameSite = true, true, http.SameSiteLaxMode
	return c
}

// tokenCookie returns the named cookie's value in cookie mode, or "".
func (s *Server) tokenCookie(r *http.Request, name string) string {
	if !s.cfg.Cookies {
		return ""
	}
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}
