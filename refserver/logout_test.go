package refserver_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/refserver"
)

func TestLogout(t *testing.T) {
	e := newEnv(t, refserver.Config{})
	tok := e.login(t)
	next := e.mustRefresh(t, tok.refresh)

	resp := e.postJSON(t, "/auth/logout/", map[string]string{"refresh": next.refresh})
	again := e.postForm(t, "/auth/logout/", "refresh_token="+next.refresh)

	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	assert.Equal(t, http.StatusOK, again.status, "%s", again.body)
	after := e.refresh(t, next.refresh)
	assert.Equal(t, http.StatusUnauthorized, after.status)
	assert.JSONEq(t, blacklisted, string(after.body))
}

func TestLogoutRefused(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		status int
		want   string
	}{
		{name: "no token", body: "", status: http.StatusBadRequest,
			want: `{"refresh":["This field is required."]}`},
		{name: "blank token", body: "refresh=", status: http.StatusBadRequest,
			want: `{"refresh":["This field may not be blank."]}`},
		{name: "garbage", body: "refresh=garbage", status: http.StatusUnauthorized,
			want: `{"detail":"Token is invalid or expired","code":"token_not_valid"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, refserver.Config{})

			resp := e.postForm(t, "/auth/logout/", tc.body)

			assert.Equal(t, tc.status, resp.status)
			assert.JSONEq(t, tc.want, string(resp.body))
		})
	}
}
