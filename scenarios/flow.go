package scenarios

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// scopes is what the Nuxt Auth Google provider asks for, and sends again on refresh.
const scopes = "openid profile email"

// Grant is an authorization code from Google and the PKCE verifier that goes with it.
type Grant struct {
	Code     string
	Verifier string // empty without PKCE
}

// StepError is a step of the flow that the backend (or Google) answered other than the
// way the frontend needs. Response is the answer, nil for the authorization step.
type StepError struct {
	Step     string // "authorize", "exchange", "refresh"
	Want     string
	Got      string
	Response *Response
}

func (e *StepError) Error() string {
	return fmt.Sprintf("scenarios: %s: want %s, got %s", e.Step, e.Want, e.Got)
}

// Authorize signs in at Google the way the browser does: a GET of the authorization
// endpoint with the query Nuxt Auth builds, answered by a redirect to the profile's
// redirect_uri that carries the code. With pkce, the request carries an S256 challenge and
// the Grant its verifier.
func (c *Client) Authorize(ctx context.Context, pkce bool) (Grant, error) {
	if c.google == "" {
		return Grant{}, fmt.Errorf("scenarios: authorize: no Google URL configured")
	}
	g := c.profile.Google
	state := randomString(10)
	q := "protocol=oauth2&response_type=code&access_type&client_id=" +
		encodeURIComponent(g.ClientID) + "&redirect_uri=" + encodeURIComponent(g.RedirectURI) +
		"&scope=" + encodeURIComponent(scopes) + "&state=" + state
	var grant Grant
	if pkce {
		grant.Verifier = randomHex(28)
		sum := sha256.Sum256([]byte(grant.Verifier))
		q += "&code_challenge_method=S256&code_challenge=" +
			base64.RawURLEncoding.EncodeToString(sum[:])
	} else {
		q += "&code_challenge_method="
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.google+"/o/oauth2/auth?"+q, nil)
	if err != nil {
		return Grant{}, fmt.Errorf("scenarios: build authorize request: %w", err)
	}
	resp, err := c.Do(req, nil)
	if err != nil {
		return Grant{}, fmt.Errorf("scenarios: authorize at google: %w", err)
	}

	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.Status != http.StatusFound || err != nil {
		return Grant{}, &StepError{Step: "authorize", Want: "302 to the redirect_uri",
			Got: fmt.Sprintf("%d %s", resp.Status, clip(string(resp.Body), 200))}
	}
	q2 := loc.Query()
	if q2.Get("state") != state || q2.Get("code") == "" {
		return Grant{}, &StepError{Step: "authorize", Want: "a code and the same state",
			Got: "a redirect with error " + q2.Get("error")}
	}
	grant.Code = q2.Get("code")
	return grant, nil
}

// Exchange posts a code to the login endpoint. With EncodingForm (or "") the body is what
// Nuxt Auth sends byte for byte, bare audience and grant_type keys included; with
// EncodingJSON it is the same fields as a JSON object. Any answer is returned; see
// [Client.SignIn] for the checked version.
func (c *Client) Exchange(ctx context.Context, g Grant, encoding string) (*Response, error) {
	p := c.profile
	if c.results != nil {
		return c.graphql(ctx, opLogin, c.graphqlValues(g.Code, g.Verifier, "", ""), "")
	}
	var body []byte
	ctype := formType
	if encoding == EncodingJSON {
		fields := map[string]string{
			p.Login.Field: g.Code, "client_id": p.Google.ClientID,
			"redirect_uri": p.Google.RedirectURI, "response_type": "code",
		}
		if g.Verifier != "" {
			fields["code_verifier"] = g.Verifier
		}
		body, _ = json.Marshal(fields) // a map of strings always marshals
		ctype = jsonType
	} else {
		var b strings.Builder
		b.WriteString(encodeURIComponent(p.Login.Field) + "=" + encodeURIComponent(g.Code))
		b.WriteString("&client_id=" + encodeURIComponent(p.Google.ClientID))
		b.WriteString("&redirect_uri=" + encodeURIComponent(p.Google.RedirectURI))
		b.WriteString("&response_type=code&audience&grant_type")
		if g.Verifier != "" {
			b.WriteString("&code_verifier=" + encodeURIComponent(g.Verifier))
		}
		body = []byte(b.String())
	}
	return c.post(ctx, p.Login.Path, ctype, body, "", "")
}

// SignIn runs the whole sign-in: Authorize at Google (with PKCE when the profile's Google
// app uses it), then Exchange with the profile's login encoding. It fails with a
// *[StepError] unless the backend answers 2xx with both tokens.
func (c *Client) SignIn(ctx context.Context) (Tokens, error) {
	tok, _, err := c.signIn(ctx)
	return tok, err
}

func (c *Client) signIn(ctx context.Context) (Tokens, *Response, error) {
	g, err := c.Authorize(ctx, c.profile.Google.PKCE)
	if err != nil {
		return Tokens{}, nil, err
	}
	resp, err := c.Exchange(ctx, g, c.profile.Login.Encoding)
	if err != nil {
		return Tokens{}, nil, err
	}
	if err := c.wantTokens("exchange", resp, true); err != nil {
		return Tokens{}, resp, err
	}
	return resp.Tokens, resp, nil
}

// wantTokens checks that resp is a 2xx answer with an access token and, when
// needRefresh, a refresh token.
func (c *Client) wantTokens(step string, resp *Response, needRefresh bool) error {
	tf := c.profile.Tokens
	want := "2xx with " + tf.Access
	if needRefresh {
		want += " and " + tf.Refresh
	}
	switch {
	case !resp.OK():
		return &StepError{Step: step, Want: want, Response: resp,
			Got: fmt.Sprintf("%d %s", resp.Status, clip(string(resp.Body), 200))}
	case resp.Tokens.Access == "" || needRefresh && resp.Tokens.Refresh == "":
		return &StepError{Step: step, Want: want, Response: resp,
			Got: fmt.Sprintf("%d with fields %s", resp.Status, describeKeys(resp))}
	}
	return nil
}

// Refresh posts a refresh token the way Nuxt Auth does: a form with refresh_token (the
// profile's refresh field), scopes, client_id and grant_type=refresh_token, and no
// Authorization header; or, with a JSON refresh endpoint, {field: token}. When the profile
// keeps tokens in cookies, the token also goes as the cookie a browser would send. Any
// answer is returned; the error is only for answers that never arrived.
func (c *Client) Refresh(ctx context.Context, refresh string) (*Response, error) {
	req, body, err := c.refreshRequest(ctx, refresh)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req, body)
	if err != nil {
		return nil, err
	}
	c.readRefresh(resp)
	return resp, nil
}

// refreshRequest builds the request Refresh sends, and returns its body too.
func (c *Client) refreshRequest(ctx context.Context,
	refresh string) (*http.Request, []byte, error) {
	if c.results != nil {
		return c.graphqlRequest(ctx, opRefresh, c.graphqlValues("", "", refresh, ""), "")
	}
	ep := c.profile.Refresh
	cookie := c.cookie(c.profile.Tokens.Refresh, refresh)
	if ep.Encoding == EncodingJSON {
		body, _ := json.Marshal(map[string]string{ep.Field: refresh}) // always marshals
		req, err := c.postRequest(ctx, ep.Path, jsonType, body, "", cookie)
		return req, body, err
	}
	body := []byte(encodeURIComponent(ep.Field) + "=" + encodeURIComponent(refresh) +
		"&scopes=" + encodeURIComponent(scopes) +
		"&client_id=" + encodeURIComponent(c.profile.Google.ClientID) +
		"&grant_type=refresh_token")
	req, err := c.postRequest(ctx, ep.Path, formType, body, "", cookie)
	return req, body, err
}

// readRefresh finishes reading an answer to a refresh once Do has: for a GraphQL profile
// the Response then stands for the REST answer (see [GraphQLAnswer]).
func (c *Client) readRefresh(resp *Response) {
	if c.results != nil {
		c.readGraphQL(resp, opRefresh, c.profile.GraphQL.operations()[opRefresh])
	}
}

// RefreshRequest returns the request [Client.Refresh] sends with the refresh token,
// byte for byte, without sending it. Its context is [context.Background] (replace it with
// [http.Request.WithContext]), and its GetBody gives the body again. It fails only when
// the request cannot be built, as when the profile's base URL does not parse.
func (c *Client) RefreshRequest(token string) (*http.Request, error) {
	req, _, err := c.refreshRequest(context.Background(), token)
	return req, err
}

// ReadRefresh reads an answer to a refresh request, given as its status, header and
// whole body, into the Response that [Client.Refresh] returns for that answer: the
// profile's token fields or cookies and, for a GraphQL profile, the status the answer
// stands for (see [GraphQLAnswer]). It sends and records nothing. Unlike Refresh, it
// does not cut the body at 1 MiB.
func (c *Client) ReadRefresh(status int, header http.Header, body []byte) *Response {
	resp := c.newResponse(status, header, body)
	c.readRefresh(resp)
	return resp
}

// cookie returns the Cookie header a browser would add for a token when the profile
// keeps tokens in cookies (expect.cookies), and "" otherwise or for an empty token.
func (c *Client) cookie(name, token string) string {
	if !c.profile.Expect.Cookies || token == "" {
		return ""
	}
	return name + "=" + token
}

// User gets the user endpoint with "Authorization: Bearer access" (and the access cookie
// when the profile keeps tokens in cookies); an empty access sends neither.
func (c *Client) User(ctx context.Context, access string) (*Response, error) {
	if c.results != nil {
		return c.graphql(ctx, opUser, c.graphqlValues("", "", "", access), bearer(access))
	}
	req, err := c.newRequest(ctx, http.MethodGet, c.profile.User.Path, "", nil)
	if err != nil {
		return nil, err
	}
	if access != "" {
		req.Header.Set("Authorization", "Bearer "+access)
	}
	if ck := c.cookie(c.profile.Tokens.Access, access); ck != "" {
		req.Header.Set("Cookie", ck)
	}
	return c.Do(req, nil)
}

// Logout posts the refresh token to the profile's logout endpoint, authenticated with the
// access token. It fails when the profile has no logout endpoint.
func (c *Client) Logout(ctx context.Context, t Tokens) (*Response, error) {
	ep := c.profile.Logout
	if ep == nil {
		return nil, fmt.Errorf("scenarios: the profile has no logout endpoint")
	}
	if c.results != nil {
		values := c.graphqlValues("", "", t.Refresh, t.Access)
		return c.graphql(ctx, opLogout, values, bearer(t.Access))
	}
	cookie := c.cookie(c.profile.Tokens.Access, t.Access)
	if ep.Encoding == EncodingForm {
		body := encodeURIComponent(ep.Field) + "=" + encodeURIComponent(t.Refresh)
		return c.post(ctx, ep.Path, formType, []byte(body), t.Access, cookie)
	}
	body, _ := json.Marshal(map[string]string{ep.Field: t.Refresh})
	return c.post(ctx, ep.Path, jsonType, body, t.Access, cookie)
}

// post sends a POST with an optional bearer token and Cookie header.
func (c *Client) post(ctx context.Context, path, ctype string, body []byte,
	access, cookie string) (*Response, error) {
	req, err := c.postRequest(ctx, path, ctype, body, access, cookie)
	if err != nil {
		return nil, err
	}
	return c.Do(req, body)
}

// postRequest builds the POST that post sends.
func (c *Client) postRequest(ctx context.Context, path, ctype string, body []byte,
	access, cookie string) (*http.Request, error) {
	req, err := c.newRequest(ctx, http.MethodPost, path, ctype, body)
	if err != nil {
		return nil, err
	}
	if access != "" {
		req.Header.Set("Authorization", "Bearer "+access)
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	return req, nil
}

// encodeURIComponent escapes s as JavaScript's encodeURIComponent does, which is what
// Nuxt Auth's encodeQuery uses: everything but A-Z a-z 0-9 - _ . ! ~ * ' ( ).
func encodeURIComponent(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if 'A' <= ch && ch <= 'Z' || 'a' <= ch && ch <= 'z' || '0' <= ch && ch <= '9' ||
			strings.IndexByte("-_.!~*'()", ch) >= 0 {
			b.WriteByte(ch)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[ch>>4])
		b.WriteByte(hexDigits[ch&15])
	}
	return b.String()
}

// randomString returns n random characters from [A-Za-z0-9], like Nuxt Auth's state.
func randomString(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	buf := make([]byte, n)
	_, _ = rand.Read(buf) // crypto/rand.Read never fails
	for i, v := range buf {
		buf[i] = alphabet[int(v)%len(alphabet)]
	}
	return string(buf)
}

// randomHex returns 2n random hex digits.
func randomHex(n int) string {
	buf := make([]byte, n)
	_, _ = rand.Read(buf) // crypto/rand.Read never fails
	return hex.EncodeToString(buf)
}

// describeKeys lists an answer's JSON keys for a summary, or says it was not JSON.
func describeKeys(r *Response) string {
	if r.JSON == nil {
		return "none (the body is not a JSON object)"
	}
	keys := r.Keys()
	if len(keys) == 0 {
		return "none"
	}
	return strings.Join(keys, ", ")
}
