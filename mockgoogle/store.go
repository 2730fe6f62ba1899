package mockgoogle

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"sync"
	"time"
)

// Lifetimes Google uses.
const (
	codeTTL   = 10 * time.Minute // authorization codes (RFC 6749 §4.1.2)
	accessTTL = time.Hour        // access tokens and id_tokens
	// expiresIn is the expires_in Google answers, in seconds: a second under the lifetime.
	expiresIn = int64(accessTTL/time.Second) - 1
)

// Prefixes that make codes and tokens look like Google's, so a backend that logs or
// length-checks them sees realistic values.
const (
	codePrefix    = "4/0"
	accessPrefix  = "ya29."
	refreshPrefix = "1//0"
)

// grant is what a code or token was issued for.
type grant struct {
	clientID string
	user     User
	scope    string // space-delimited, as answered in the token response
	nonce    string
	offline  bool
}

// codeGrant is an issued authorization code.
type codeGrant struct {
	grant
	redirectURI string
	challenge   string
	method      string // "plain" or "S256"; empty when there is no challenge
	issued      time.Time
	used        bool
	tokens      []string // access and refresh tokens issued with the code
}

// accessGrant is an issued access token.
type accessGrant struct {
	grant
	expires time.Time
	refresh string // the refresh token it came with or from, if any
}

// store holds codes, tokens and the sign-in queue. It is safe for concurrent use.
type store struct {
	mu      sync.Mutex
	codes   map[string]*codeGrant
	access  map[string]*accessGrant
	refresh map[string]*grant
	queue   []User
	issued  int // codes and access tokens issued, to prune expired ones now and then
}

// pruneEvery is how many codes or access tokens are issued between two prunings of the
// expired ones, so that long load runs do not grow the store without bound.
const pruneEvery = 1024

func newStore() *store {
	return &store{
		codes:   make(map[string]*codeGrant),
		access:  make(map[string]*accessGrant),
		refresh: make(map[string]*grant),
	}
}

// randomToken returns prefix followed by n random bytes, base64url-encoded.
func randomToken(prefix string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// wellFormedCode reports whether code looks like one this server issues.
func wellFormedCode(code string) bool {
	rest, ok := strings.CutPrefix(code, codePrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}

// pushUser queues u to sign in next.
func (st *store) pushUser(u User) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.queue = append(st.queue, u)
}

// popUser takes the next queued user, if any.
func (st *store) popUser() (User, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.queue) == 0 {
		return User{}, false
	}
	u := st.queue[0]
	st.queue = st.queue[1:]
	return u, true
}

// addCode stores c under a new code and returns the code.
func (st *store) addCode(c *codeGrant) string {
	code := randomToken(codePrefix, 32)

	st.mu.Lock()
	defer st.mu.Unlock()
	st.pruneLocked(c.issued)
	st.codes[code] = c
	return code
}

// pruneLocked drops expired codes and access tokens once every pruneEvery calls.
func (st *store) pruneLocked(now time.Time) {
	st.issued++
	if st.issued%pruneEvery != 0 {
		return
	}
	for k, c := range st.codes {
		if now.Sub(c.issued) > codeTTL {
			delete(st.codes, k)
		}
	}
	for k, a := range st.access {
		if !now.Before(a.expires) {
			delete(st.access, k)
		}
	}
}

// redeemCode marks code used after check accepts it, and returns its grant. A code seen
// before is refused, and the tokens issued with it are revoked (RFC 6749 §4.1.2).
func (st *store) redeemCode(code string, now time.Time, check func(*codeGrant) error) (
	*codeGrant, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	c, ok := st.codes[code]
	switch {
	case !ok, now.Sub(c.issued) > codeTTL:
		return nil, invalidGrant("Bad Request")
	case c.used:
		for _, tok := range c.tokens {
			st.revokeLocked(tok)
		}
		return nil, invalidGrant("Bad Request")
	}
	if err := check(c); err != nil {
		return nil, err
	}
	c.used = true
	return c, nil
}

// addTokens stores a new access token (and a refresh token when refresh is empty and the
// grant is offline) and returns them. refresh names the refresh token a refresh grant
// used; code, when not nil, is the code they were issued with.
func (st *store) addTokens(g grant, now time.Time, refresh string, code *codeGrant) (
	access, newRefresh string) {
	access = randomToken(accessPrefix, 48)
	if refresh == "" && g.offline {
		newRefresh = randomToken(refreshPrefix, 48)
	}

	st.mu.Lock()
	defer st.mu.Unlock()
	st.pruneLocked(now)
	if newRefresh != "" {
		st.refresh[newRefresh] = &g
		refresh = newRefresh
	}
	st.access[access] = &accessGrant{grant: g, expires: now.Add(accessTTL), refresh: refresh}
	if code != nil {
		code.tokens = append(code.tokens, access)
		if newRefresh != "" {
			code.tokens = append(code.tokens, newRefresh)
		}
	}
	return access, newRefresh
}

// lookupAccess returns the grant of a live access token.
func (st *store) lookupAccess(token string, now time.Time) (accessGrant, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	a, ok := st.access[token]
	if !ok || !now.Before(a.expires) {
		return accessGrant{}, false
	}
	return *a, true
}

// lookupRefresh returns the grant of a live refresh token.
func (st *store) lookupRefresh(token string) (grant, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	g, ok := st.refresh[token]
	if !ok {
		return grant{}, false
	}
	return *g, true
}

// revoke revokes an access or refresh token and reports whether it was live. Revoking
// either revokes the refresh token and every access token that came with or from it.
func (st *store) revoke(token string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.revokeLocked(token)
}

func (st *store) revokeLocked(token string) bool {
	refresh := token
	if a, ok := st.access[token]; ok {
		delete(st.access, token)
		refresh = a.refresh
	} else if _, ok := st.refresh[token]; !ok {
		return false
	}
	if refresh == "" {
		return true
	}
	delete(st.refresh, refresh)
	for k, a := range st.access {
		if a.refresh == refresh {
			delete(st.access, k)
		}
	}
	return true
}
