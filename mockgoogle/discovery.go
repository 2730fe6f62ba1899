package mockgoogle

import "net/http"

// discoveryDocument is the OpenID Provider Metadata (OpenID Connect Discovery 1.0 §3) with
// Google's field names. It advertises only what this server implements.
type discoveryDocument struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	RevocationEndpoint                string   `json:"revocation_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	ClaimsSupported                   []string `json:"claims_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	IssParameterSupported             bool     `json:"authorization_response_iss_parameter_supported"`
}

// serveDiscovery answers GET /.well-known/openid-configuration.
func (s *Server) serveDiscovery(w http.ResponseWriter, r *http.Request, _ *call) error {
	base := s.baseURL(r)
	doc := discoveryDocument{
		Issuer:                            s.issuer(r),
		AuthorizationEndpoint:             base + authorizePath,
		TokenEndpoint:                     base + "/token",
		UserinfoEndpoint:                  base + "/v1/userinfo",
		RevocationEndpoint:                base + "/revoke",
		JWKSURI:                           base + "/oauth2/v3/certs",
		ResponseTypesSupported:            []string{"code"},
		ResponseModesSupported:            []string{"query"},
		SubjectTypesSupported:             []string{"public"},
		IDTokenSigningAlgValuesSupported:  []string{"RS256"},
		ScopesSupported:                   []string{"openid", "email", "profile"},
		TokenEndpointAuthMethodsSupported: []string{"client_secret_post", "client_secret_basic"},
		ClaimsSupported: []string{
			"aud", "email", "email_verified", "exp", "family_name", "given_name", "iat",
			"iss", "locale", "name", "picture", "sub",
		},
		CodeChallengeMethodsSupported: []string{"plain", "S256"},
		GrantTypesSupported:           []string{"authorization_code", "refresh_token"},
		IssParameterSupported:         true,
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeJSON(w, s.log, http.StatusOK, doc)
	return nil
}
