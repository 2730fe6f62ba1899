package mockgoogle

import (
	"fmt"
	"net"
	"net/url"
)

// The client a server accepts when Config.Clients is empty.
const (
	DefaultClientID     = "authprobe-client"
	DefaultClientSecret = "authprobe-secret"
)

// User is a Google account that can sign in. Sub is the stable account ID Google puts in
// the id_token's sub claim; the other fields are the OpenID Connect profile claims.
type User struct {
	Sub           string `json:"sub" yaml:"sub"`
	Email         string `json:"email" yaml:"email"`
	EmailVerified bool   `json:"email_verified" yaml:"email_verified"`
	Name          string `json:"name,omitempty" yaml:"name"`
	GivenName     string `json:"given_name,omitempty" yaml:"given_name"`
	FamilyName    string `json:"family_name,omitempty" yaml:"family_name"`
	Picture       string `json:"picture,omitempty" yaml:"picture"`
	Locale        string `json:"locale,omitempty" yaml:"locale"`
	HD            string `json:"hd,omitempty" yaml:"hd"` // hosted (Workspace) domain
}

// DefaultUser returns the user a server signs in when Config.Users is empty.
func DefaultUser() User {
	return User{
		Sub:           "100000000000000000001",
		Email:         "ada@example.com",
		EmailVerified: true,
		Name:          "Ada Lovelace",
		GivenName:     "Ada",
		FamilyName:    "Lovelace",
		Picture:       "https://example.com/ada.png",
		Locale:        "en",
	}
}

// Client is a registered OAuth client. An empty RedirectURIs accepts any http or https
// redirect URI on localhost, 127.0.0.1 or [::1], whatever the port and path; otherwise
// the redirect URI must equal one of them exactly, as with Google.
type Client struct {
	ID           string   `json:"client_id" yaml:"client_id"`
	Secret       string   `json:"client_secret" yaml:"client_secret"`
	RedirectURIs []string `json:"redirect_uris,omitempty" yaml:"redirect_uris"`
}

// DefaultClient returns the client a server accepts when Config.Clients is empty.
func DefaultClient() Client {
	return Client{ID: DefaultClientID, Secret: DefaultClientSecret}
}

// acceptsRedirect reports whether the client may be sent back to uri.
func (c Client) acceptsRedirect(uri string) bool {
	if len(c.RedirectURIs) > 0 {
		for _, r := range c.RedirectURIs {
			if r == uri {
				return true
			}
		}
		return false
	}
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
		return false
	}
	switch host := u.Hostname(); host {
	case "localhost":
		return true
	default:
		ip := net.ParseIP(host)
		return ip != nil && (ip.Equal(net.IPv4(127, 0, 0, 1)) || ip.Equal(net.IPv6loopback))
	}
}

// fieldError is a configuration problem in one field, such as users[1].email, or in a
// whole config file when field is empty.
type fieldError struct {
	file    string // the config file; empty for a Config built in Go
	line    int    // line in the config file; 0 when unknown
	field   string
	problem string
}

// Error reads like "users.yaml:4: users[0].email: required".
func (e *fieldError) Error() string {
	var where string
	switch {
	case e.file != "" && e.line > 0:
		where = fmt.Sprintf("%s:%d: ", e.file, e.line)
	case e.file != "":
		where = e.file + ": "
	}
	if e.field == "" {
		return where + e.problem
	}
	return where + e.field + ": " + e.problem
}

func (e *fieldError) Unwrap() error { return ErrInvalidConfig }

// validateConfig checks users, clients and quirks.
func validateConfig(cfg Config) error {
	if err := validateUsers(cfg.Users); err != nil {
		return err
	}
	if err := validateClients(cfg.Clients); err != nil {
		return err
	}
	for i, q := range cfg.Quirks {
		if q != QuirkSchemelessIssuer {
			return &fieldError{field: fmt.Sprintf("quirks[%d]", i),
				problem: fmt.Sprintf("unknown quirk %q", q)}
		}
	}
	return nil
}

// validateUsers checks that every user has a sub and an email and that subs are unique.
func validateUsers(users []User) error {
	seen := make(map[string]bool, len(users))
	for i, u := range users {
		field := fmt.Sprintf("users[%d]", i)
		switch {
		case u.Sub == "":
			return &fieldError{field: field + ".sub", problem: "required"}
		case u.Email == "":
			return &fieldError{field: field + ".email", problem: "required"}
		case seen[u.Sub]:
			return &fieldError{field: field + ".sub", problem: fmt.Sprintf("%q repeats", u.Sub)}
		}
		seen[u.Sub] = true
	}
	return nil
}

// validateClients checks that every client has an ID and a secret, that IDs are unique and
// that redirect URIs are absolute.
func validateClients(clients []Client) error {
	seen := make(map[string]bool, len(clients))
	for i, c := range clients {
		field := fmt.Sprintf("clients[%d]", i)
		switch {
		case c.ID == "":
			return &fieldError{field: field + ".client_id", problem: "required"}
		case c.Secret == "":
			return &fieldError{field: field + ".client_secret", problem: "required"}
		case seen[c.ID]:
			return &fieldError{field: field + ".client_id",
				problem: fmt.Sprintf("%q repeats", c.ID)}
		}
		seen[c.ID] = true
		for j, r := range c.RedirectURIs {
			u, err := url.Parse(r)
			if err != nil || !u.IsAbs() || u.Host == "" {
				return &fieldError{field: fmt.Sprintf("%s.redirect_uris[%d]", field, j),
					problem: fmt.Sprintf("%q is not an absolute URL", r)}
			}
		}
	}
	return nil
}
