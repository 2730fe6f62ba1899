package refserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	"golang.org/x/oauth2"
)

// maxGoogleBody bounds what refserver reads of a Google answer.
const maxGoogleBody = 1 << 20

// Google outcomes the login handler maps to answers.
var (
	// errGoogleRefused: Google answered the code exchange with a 4xx.
	errGoogleRefused = errors.New("refserver: google refused the code")
	// errGoogleDown: Google could not be reached or answered something unusable.
	errGoogleDown = errors.New("refserver: google unavailable")
)

// discovery is the part of an OpenID provider's discovery document refserver uses.
type discovery struct {
	TokenEndpoint    string   `json:"token_endpoint"`
	UserinfoEndpoint string   `json:"userinfo_endpoint"`
	AuthMethods      []string `json:"token_endpoint_auth_methods_supported"`
}

// userinfo is the OpenID Connect userinfo answer.
type userinfo struct {
	Sub        string `json:"sub"`
	Email      string `json:"email"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
}

// provider signs people in with an authorization code at an OpenID provider. Its discovery
// document is fetched on first use and cached; a failed fetch is retried on the next use.
// A provider is safe for concurrent use.
type provider struct {
	baseURL      string
	clientID     string
	clientSecret string
	client       *http.Client

	mu   sync.Mutex
	disc *discovery
}

// exchange is one code to trade at the provider.
type exchange struct {
	code        string
	verifier    string // PKCE code_verifier; empty when the client sent none
	redirectURI string
}

// signIn trades the code for Google's tokens and returns the user from userinfo. Errors
// wrap errGoogleRefused or errGoogleDown.
func (p *provider) signIn(ctx context.Context, ex exchange) (user, error) {
	disc, err := p.discover(ctx)
	if err != nil {
		return user{}, err
	}

	cfg := oauth2.Config{
		ClientID:     p.clientID,
		ClientSecret: p.clientSecret,
		RedirectURL:  ex.redirectURI,
		Endpoint:     oauth2.Endpoint{TokenURL: disc.TokenEndpoint, AuthStyle: disc.authStyle()},
	}
	var opts []oauth2.AuthCodeOption
	if ex.verifier != "" {
		opts = append(opts, oauth2.VerifierOption(ex.verifier))
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, p.client)
	tok, err := cfg.Exchange(ctx, ex.code, opts...)
	if err != nil {
		var rerr *oauth2.RetrieveError
		if errors.As(err, &rerr) && rerr.Response != nil &&
			rerr.Response.StatusCode >= 400 && rerr.Response.StatusCode < 500 {
			return user{}, fmt.Errorf("%w: %w", errGoogleRefused, err)
		}
		return user{}, fmt.Errorf("%w: exchange code: %w", errGoogleDown, err)
	}

	info, err := p.userinfo(ctx, disc.UserinfoEndpoint, tok.AccessToken)
	if err != nil {
		return user{}, err
	}
	return user{Sub: info.Sub, Email: info.Email, FirstName: info.GivenName,
		LastName: info.FamilyName}, nil
}

// discover returns the cached discovery document, fetching it the first time.
func (p *provider) discover(ctx context.Context) (*discovery, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.disc != nil {
		return p.disc, nil
	}

	u := strings.TrimSuffix(p.baseURL, "/") + "/.well-known/openid-configuration"
	var disc discovery
	if err := p.getJSON(ctx, u, "", &disc); err != nil {
		return nil, fmt.Errorf("%w: discovery: %w", errGoogleDown, err)
	}
	if disc.TokenEndpoint == "" || disc.UserinfoEndpoint == "" {
		return nil, fmt.Errorf("%w: discovery document lacks token or userinfo endpoint",
			errGoogleDown)
	}
	p.disc = &disc
	return p.disc, nil
}

// userinfo fetches the signed-in user with Google's access token.
func (p *provider) userinfo(ctx context.Context, endpoint, accessToken string) (userinfo,
	error) {
	var info userinfo
	if err := p.getJSON(ctx, endpoint, accessToken, &info); err != nil {
		return info, fmt.Errorf("%w: userinfo: %w", errGoogleDown, err)
	}
	if info.Sub == "" {
		return info, fmt.Errorf("%w: userinfo has no sub", errGoogleDown)
	}
	return info, nil
}

// getJSON GETs u, with a bearer token when one is given, and decodes a 200 JSON answer.
func (p *provider) getJSON(ctx context.Context, u, bearer string, dst any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxGoogleBody)).Decode(dst); err != nil {
		return fmt.Errorf("decode %s: %w", u, err)
	}
	return nil
}

// authStyle picks HTTP Basic client authentication unless the provider offers only
// client_secret_post.
func (d *discovery) authStyle() oauth2.AuthStyle {
	if len(d.AuthMethods) > 0 && !slices.Contains(d.AuthMethods, "client_secret_basic") &&
		slices.Contains(d.AuthMethods, "client_secret_post") {
		return oauth2.AuthStyleInParams
	}
	return oauth2.AuthStyleInHeader
}
