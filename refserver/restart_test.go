package refserver_test

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/authprobe/authprobe/refserver"
)

func TestRestartKeepsState(t *testing.T) {
	google := sharedGoogle
	cfg := refserver.Config{GoogleURL: google.URL(), SigningKey: testKey, TestClock: true,
		DB: filepath.Join(t.TempDir(), "refserver.db"), Logger: testLogger(t)}
	e := &env{google: google, srv: refserver.NewServer(t, cfg), client: newClient(t)}
	live := e.login(t)
	live = e.mustRefresh(t, live.refresh)
	spent := e.login(t)
	successor := e.mustRefresh(t, spent.refresh)
	require.Equal(t, http.StatusUnauthorized, e.refresh(t, spent.refresh).status) // revokes
	loggedOut := e.login(t)
	require.Equal(t, http.StatusOK,
		e.postForm(t, "/auth/logout/", "refresh="+loggedOut.refresh).status)
	require.NoError(t, e.srv.Close())

	e.srv = refserver.NewServer(t, cfg)
	e.client = newClient(t)

	user := e.getUser(t, live.access)
	assert.Equal(t, http.StatusOK, user.status, "%s", user.body)
	assert.Equal(t, float64(1), user.object(t)["pk"])
	assert.Equal(t, http.StatusUnauthorized, e.refresh(t, successor.refresh).status)
	assert.Equal(t, http.StatusUnauthorized, e.refresh(t, loggedOut.refresh).status)
	e.mustRefresh(t, live.refresh)
	again := e.login(t)
	assert.Equal(t, int64(1), claimInt(t, claimsOf(t, again.access), "user_id"))
}
