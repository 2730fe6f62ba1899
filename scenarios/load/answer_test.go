package load

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/scenarios"
)

func TestJudge(t *testing.T) {
	drf := newAnswerReader(builtin(t, "nuxt-drf"))
	rfc := builtin(t, "nuxt-drf")
	rfc.Style = scenarios.StyleRFC6749
	rfc6749 := newAnswerReader(rfc)
	pair := answer{status: 200, access: true, refresh: "r", complete: true}

	tests := []struct {
		name           string
		reader         *answerReader
		answer         answer
		want           verdict
		wantUnexpected bool
	}{
		{name: "token pair", reader: drf, answer: pair, want: rotated},
		{name: "no access token", reader: drf, want: rotated, wantUnexpected: true,
			answer: answer{status: 200, refresh: "r", complete: true}},
		{name: "no refresh token", reader: drf, want: rotated, wantUnexpected: true,
			answer: answer{status: 200, access: true, complete: true}},
		{name: "drf refusal", reader: drf, answer: status(401), want: refused},
		{name: "rfc6749 refusal", reader: rfc6749, answer: status(400), want: refused},
		{name: "refusal in the other style", reader: drf, answer: status(400),
			want: refused, wantUnexpected: true},
		{name: "rate limited", reader: drf, answer: status(429), want: failed,
			wantUnexpected: true},
		{name: "server error", reader: drf, answer: status(500), want: failed,
			wantUnexpected: true},
		{name: "redirect", reader: drf, answer: status(302), want: failed,
			wantUnexpected: true},
		{name: "no answer", reader: drf, answer: answer{}, want: failed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, unexpected := tc.reader.judge(tc.answer)

			assert.Equal(t, tc.want, v)
			assert.Equal(t, tc.wantUnexpected, unexpected)
		})
	}
}

func TestReadAnswer(t *testing.T) {
	r := newAnswerReader(builtin(t, "nuxt-drf"))
	cookies := http.Header{"Set-Cookie": {
		"access_token=a.b.c; Path=/; HttpOnly",
		`refresh_token="r.s.t"; Path=/auth/token/refresh/; HttpOnly`,
	}}
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   answer
	}{
		{name: "json", status: 200, body: `{"access_token":"a","refresh_token":"r"}`,
			want: answer{status: 200, access: true, refresh: "r", complete: true}},
		{name: "cookies", status: 200, header: cookies, body: `{"detail":"ok"}`,
			want: answer{status: 200, access: true, refresh: "r.s.t", complete: true}},
		{name: "not json", status: 200, body: `ok`,
			want: answer{status: 200, complete: true}},
		{name: "refusal carries no tokens", status: 401,
			body: `{"access_token":"a","refresh_token":"r"}`,
			want: answer{status: 401, complete: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := r.read(tc.status, tc.header, []byte(tc.body))

			assert.Equal(t, tc.want, got)
		})
	}
}

// TestReadGraphQLAnswer reads GraphQL answers through the Client: a refusal is an error
// in a 200 answer, and the tokens are at the profile's answer paths.
func TestReadGraphQLAnswer(t *testing.T) {
	r := newAnswerReader(builtin(t, "graphql"))
	tests := []struct {
		name   string
		status int
		body   string
		want   answer
	}{
		{name: "pair", status: 200, body: `{"data":{"refreshToken":{"accessToken":"a",` +
			`"refreshToken":"r","expiresIn":300}}}`,
			want: answer{status: 200, access: true, refresh: "r", complete: true}},
		{name: "refused", status: 200, body: `{"data":{"refreshToken":null},"errors":[{` +
			`"message":"Token is invalid or expired","extensions":{"code":"TOKEN_NOT_VALID"}}]}`,
			want: answer{status: 401, complete: true}},
		{name: "server error", status: 502, body: `Bad Gateway`,
			want: answer{status: 502, complete: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := r.read(tc.status, http.Header{}, []byte(tc.body))

			assert.Equal(t, tc.want, got)
			verdicts := map[int]verdict{200: rotated, 401: refused, 502: failed}
			v, _ := r.judge(got)
			assert.Equal(t, verdicts[tc.want.status], v)
		})
	}
}

func status(code int) answer { return answer{status: code, complete: true} }

func builtin(t testing.TB, name string) *scenarios.Profile {
	t.Helper()
	p, ok := scenarios.BuiltinProfile(name)
	require.True(t, ok)
	return p
}
