package scenarios

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Fingerprint returns the first 8 hex digits of the SHA-256 of a secret: how tokens, codes
// and keys appear in logs, evidence and reports. An empty secret gives "".
func Fingerprint(secret string) string {
	if secret == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:4])
}

// redacted is how a secret value is shown: its kind and fingerprint.
func redacted(secret string) string {
	if secret == "" {
		return ""
	}
	return "<fp:" + Fingerprint(secret) + ">"
}

// secretFields are field, query and cookie names whose values are never shown.
var secretFields = map[string]bool{
	"code": true, "code_verifier": true, "client_secret": true, "token": true,
	"access_token": true, "refresh_token": true, "id_token": true, "access": true,
	"refresh": true, "password": true, "session": true, "sessionid": true,
}

// jwtPattern finds compact JWS/JWT strings anywhere in a text.
var jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*`)

// redactor hides the values of secret fields and every JWT in what it is given. extra
// names fields that are secret for one target (a profile's token field names).
type redactor struct {
	extra map[string]bool
}

func newRedactor(names ...string) redactor {
	extra := make(map[string]bool, len(names))
	for _, n := range names {
		if n != "" {
			extra[strings.ToLower(n)] = true
		}
	}
	return redactor{extra: extra}
}

func (r redactor) secret(name string) bool {
	name = strings.ToLower(name)
	return secretFields[name] || r.extra[name]
}

// errorCode matches the values of "code" fields that are error codes, such as DRF's
// token_not_valid or GraphQL's UNAUTHENTICATED, rather than authorization codes.
var errorCode = regexp.MustCompile(`^[A-Za-z_]{1,40}$`)

// secretValue reports whether the value of field name must be hidden.
func (r redactor) secretValue(name, value string) bool {
	if strings.EqualFold(name, "code") && errorCode.MatchString(value) {
		return false
	}
	return r.secret(name)
}

// text redacts a body: JSON bodies field by field, form bodies key by key (keeping bare
// keys bare), and JWTs anywhere else.
func (r redactor) text(body string) string {
	trimmed := strings.TrimSpace(body)
	if strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[") {
		var v any
		if json.Unmarshal([]byte(trimmed), &v) == nil {
			var out strings.Builder
			enc := json.NewEncoder(&out)
			enc.SetEscapeHTML(false)
			if enc.Encode(r.json(v)) == nil {
				return strings.TrimSuffix(out.String(), "\n")
			}
		}
	}
	if isFormLike(trimmed) {
		return r.form(trimmed)
	}
	return jwtPattern.ReplaceAllStringFunc(body, redacted)
}

func (r redactor) json(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && r.secretValue(k, s) {
				v[k] = redacted(s)
				continue
			}
			v[k] = r.json(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = r.json(x)
		}
		return v
	case string:
		return jwtPattern.ReplaceAllStringFunc(v, redacted)
	default:
		return v
	}
}

// isFormLike reports whether s looks like an urlencoded form: no spaces or braces, and
// at least one key.
func isFormLike(s string) bool {
	return s != "" && !strings.ContainsAny(s, " {}<>\n\"")
}

// form redacts an urlencoded body while keeping its shape, including bare keys.
func (r redactor) form(body string) string {
	parts := strings.Split(body, "&")
	for i, part := range parts {
		key, value, hasValue := strings.Cut(part, "=")
		if !hasValue {
			continue
		}
		name, err := url.QueryUnescape(key)
		if err != nil {
			name = key
		}
		raw, err := url.QueryUnescape(value)
		if err != nil {
			raw = value
		}
		if r.secretValue(name, raw) {
			parts[i] = key + "=" + redacted(raw)
			continue
		}
		parts[i] = key + "=" + jwtPattern.ReplaceAllStringFunc(value, redacted)
	}
	return strings.Join(parts, "&")
}

// url redacts secret query parameters of a URL, such as the code in a redirect.
func (r redactor) url(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return raw
	}
	u.RawQuery = r.form(u.RawQuery)
	return u.String()
}

// header returns a redacted copy of h: bearer credentials, cookies and Set-Cookie values
// become fingerprints; cookie attributes stay, because checks report on them.
func (r redactor) header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for name, values := range h {
		vs := make([]string, len(values))
		for i, v := range values {
			vs[i] = r.headerValue(name, v)
		}
		out[name] = vs
	}
	return out
}

func (r redactor) headerValue(name, v string) string {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization":
		scheme, cred, ok := strings.Cut(v, " ")
		if !ok {
			return redacted(v)
		}
		return scheme + " " + redacted(cred)
	case "Cookie":
		return r.cookies(v, "; ")
	case "Set-Cookie":
		first, attrs, _ := strings.Cut(v, ";")
		name, value, _ := strings.Cut(first, "=")
		if attrs != "" {
			attrs = ";" + attrs
		}
		return name + "=" + redacted(value) + attrs
	case "Location":
		return r.url(v)
	default:
		return jwtPattern.ReplaceAllStringFunc(v, redacted)
	}
}

func (r redactor) cookies(v, sep string) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		name, value, _ := strings.Cut(strings.TrimSpace(p), "=")
		parts[i] = name + "=" + redacted(value)
	}
	return strings.Join(parts, sep)
}
