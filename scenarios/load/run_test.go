package load_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/authprobe/authprobe/refserver"
	"github.com/authprobe/authprobe/scenarios"
	"github.com/authprobe/authprobe/scenarios/load"
)

// closedConfig is a short, small closed-model run against tg: a few sessions, well under a
// second of attack.
func closedConfig(tg *target) load.Config {
	return load.Config{
		Profile:   tg.profile,
		GoogleURL: sharedGoogle.URL(),
		Sessions:  6,
		Workers:   3,
		Duration:  300 * time.Millisecond,
		Timeout:   5 * time.Second,
	}
}

func TestClosedModelHasNoFindings(t *testing.T) {
	tg := newTarget(t, refserver.Config{})

	report, err := load.Run(t.Context(), closedConfig(tg))

	require.NoError(t, err)
	m := report.Metrics
	assert.Positive(t, m.Requests)
	assert.Equal(t, map[string]int{"200": int(m.Requests)}, m.StatusCodes)
	assert.Equal(t, load.Findings{}, report.Tally.Findings)
	assert.Equal(t, load.Sessions{Established: 6, Alive: 6}, report.Tally.Sessions)
	assert.False(t, report.Interrupted)
	assert.Empty(t, report.Ended)
}

// TestInjectionsOnRefserver runs the injections against refserver with and without the
// faults they exist to find.
func TestInjectionsOnRefserver(t *testing.T) {
	tests := []struct {
		name   string
		faults []string
		reuse  float64
		race   float64
		check  func(t *testing.T, r *load.Report)
	}{
		{name: "reuse refused", reuse: 0.3, check: func(t *testing.T, r *load.Report) {
			assert.Positive(t, r.Tally.Injected.Reuse)
			assert.Equal(t, load.Findings{}, r.Tally.Findings)
			// refserver revokes the family of a reused token: the session is retired
			// and a new one signed in in its place.
			assert.Positive(t, r.Tally.Sessions.Retired)
			assert.Positive(t, r.Tally.Sessions.Replaced)
		}},
		{name: "race settled", race: 0.3, check: func(t *testing.T, r *load.Report) {
			assert.Positive(t, r.Tally.Injected.Race)
			assert.Equal(t, load.Findings{}, r.Tally.Findings)
		}},
		{name: "reuse accepted", faults: []string{"no-blacklist"}, reuse: 0.3,
			check: func(t *testing.T, r *load.Report) {
				f := r.Tally.Findings
				assert.Positive(t, f.ReuseAccepted)
				assert.LessOrEqual(t, f.ReuseAccepted, r.Tally.Injected.Reuse)
				assert.Zero(t, f.Forks+f.LostSessions+f.Unexpected)
			}},
		{name: "race forks", faults: []string{"racy-rotation"}, race: 0.5,
			check: func(t *testing.T, r *load.Report) {
				f := r.Tally.Findings
				assert.Positive(t, f.Forks)
				assert.LessOrEqual(t, f.Forks, r.Tally.Injected.Race)
				assert.Zero(t, f.ReuseAccepted+f.LostSessions+f.Unexpected)
			}},
		{name: "successor never saved", faults: []string{"unsaved-rotation"},
			check: func(t *testing.T, r *load.Report) {
				assert.Positive(t, r.Tally.Findings.LostSessions)
				assert.Positive(t, r.Metrics.StatusCodes["401"])
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := newTarget(t, refserver.Config{}, tc.faults...)
			cfg := closedConfig(tg)
			cfg.ReuseRatio, cfg.RaceRatio = tc.reuse, tc.race

			report, err := load.Run(t.Context(), cfg)

			require.NoError(t, err)
			assert.Positive(t, report.Metrics.Requests)
			tc.check(t, report)
		})
	}
}

// TestEstablishThenAttackTwice signs sessions in once and attacks with them twice: the
// second attack goes on from the tokens the first left in the pool.
func TestEstablishThenAttackTwice(t *testing.T) {
	tg := newTarget(t, refserver.Config{})
	var progress bytes.Buffer
	pool, sessions, err := load.Establish(t.Context(), load.Config{Profile: tg.profile,
		GoogleURL: sharedGoogle.URL(), Sessions: 3, Progress: &progress})
	require.NoError(t, err)
	assert.Equal(t, load.Sessions{Established: 3}, sessions)
	assert.Contains(t, progress.String(), "signing in [")
	assert.Contains(t, progress.String(), "] 3/3\n")

	for range 2 {
		report, err := load.Run(t.Context(), load.Config{Profile: tg.profile, Pool: pool,
			Workers: 2, Duration: 100 * time.Millisecond})

		require.NoError(t, err)
		assert.Positive(t, report.Metrics.Requests)
		assert.Equal(t, int(report.Metrics.Requests), report.Metrics.StatusCodes["200"])
		assert.Equal(t, int64(3), report.Tally.Sessions.Alive)
	}
}

func TestOpenModelKeepsToTheRate(t *testing.T) {
	tg := newTarget(t, refserver.Config{})
	cfg := closedConfig(tg)
	cfg.Rate = vegeta.Rate{Freq: 200, Per: time.Second}
	cfg.Workers = 0

	report, err := load.Run(t.Context(), cfg)

	require.NoError(t, err)
	// 200/s for 300ms is 60 requests at most; a starved CI machine may send fewer. The
	// closed model would send hundreds.
	assert.Positive(t, report.Metrics.Requests)
	assert.LessOrEqual(t, report.Metrics.Requests, uint64(61))
	assert.Equal(t, 1.0, report.Metrics.Success)
	assert.Zero(t, report.Tally.Findings.Total())
}

// TestInterruptStillReports cancels a long run after its first results, as Ctrl-C does,
// and checks that it stops and reports what was sent.
func TestInterruptStillReports(t *testing.T) {
	tg := newTarget(t, refserver.Config{})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cfg := closedConfig(tg)
	cfg.Duration = time.Hour
	seen := 0
	cfg.Observe = func(*vegeta.Result) error {
		if seen++; seen == 20 {
			cancel()
		}
		return nil
	}

	report, err := load.Run(ctx, cfg)

	require.NoError(t, err)
	assert.True(t, report.Interrupted)
	assert.GreaterOrEqual(t, report.Metrics.Requests, uint64(20))
	assert.Less(t, report.Metrics.Duration, time.Minute)
}

// TestResultsCarryNoTokens writes the results in vegeta's encoding, reads them back with
// vegeta, and looks for the tokens in them.
func TestResultsCarryNoTokens(t *testing.T) {
	tg := newTarget(t, refserver.Config{})
	var buf bytes.Buffer
	enc := vegeta.NewEncoder(&buf)
	cfg := closedConfig(tg)
	cfg.Observe = enc.Encode

	report, err := load.Run(t.Context(), cfg)
	require.NoError(t, err)

	dec := vegeta.NewDecoder(bytes.NewReader(buf.Bytes()))
	var n uint64
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		n++
		assert.Empty(t, r.Body)
		assert.Empty(t, r.Headers)
		assert.Equal(t, load.DefaultName, r.Attack)
	}
	assert.Equal(t, report.Metrics.Requests, n)
	assert.NotContains(t, buf.String(), "eyJ") // no JWT, whole or in part
}

func TestObserveErrorStopsTheRun(t *testing.T) {
	tg := newTarget(t, refserver.Config{})
	cfg := closedConfig(tg)
	cfg.Duration = time.Hour
	boom := errors.New("disk full")
	cfg.Observe = func(*vegeta.Result) error { return boom }

	report, err := load.Run(t.Context(), cfg)

	require.ErrorIs(t, err, boom)
	require.NotNil(t, report)
	assert.Positive(t, report.Metrics.Requests)
}

// TestUnexpectedAnswers runs against a backend that answers refreshes with a 500, with
// sessions handed over in a pool.
func TestUnexpectedAnswers(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "Server Error (500)", http.StatusInternalServerError)
	}))
	t.Cleanup(srv.Close)
	p, ok := scenarios.BuiltinProfile("nuxt-drf")
	require.True(t, ok)
	p.BaseURL = srv.URL
	pool := load.NewPool(2)
	require.NoError(t, pool.Add("r-1"))
	require.NoError(t, pool.Add("r-2"))

	report, err := load.Run(t.Context(), load.Config{Profile: p, Pool: pool, Workers: 2,
		Duration: 100 * time.Millisecond})

	require.NoError(t, err)
	assert.Equal(t, report.Metrics.Requests, uint64(report.Metrics.StatusCodes["500"]))
	assert.Equal(t, int64(report.Metrics.Requests), report.Tally.Findings.Unexpected)
	assert.Zero(t, report.Tally.Findings.LostSessions)
	assert.Equal(t, 2, pool.Alive(), "a 500 does not end a session")
}

// TestCookieSessions loads refserver in cookie mode through the cookies profile, whose
// refresh carries the token in a cookie too.
func TestCookieSessions(t *testing.T) {
	tg := newTarget(t, refserver.Config{Cookies: true})
	p, ok := scenarios.BuiltinProfile("cookies")
	require.True(t, ok)
	p.BaseURL = tg.profile.BaseURL
	tg.profile = p

	report, err := load.Run(t.Context(), closedConfig(tg))

	require.NoError(t, err)
	assert.Positive(t, report.Metrics.Requests)
	assert.Equal(t, 1.0, report.Metrics.Success)
	assert.Zero(t, report.Tally.Findings.Total())
}

// TestGraphQLSessions loads refserver's GraphQL API through the graphql profile, whose
// refusals come as errors in a 200 answer.
func TestGraphQLSessions(t *testing.T) {
	tests := []struct {
		name   string
		faults []string
		want   func(t *testing.T, f load.Findings)
	}{
		{name: "clean", want: func(t *testing.T, f load.Findings) {
			assert.Equal(t, load.Findings{}, f)
		}},
		{name: "reuse accepted", faults: []string{"no-blacklist"},
			want: func(t *testing.T, f load.Findings) { assert.Positive(t, f.ReuseAccepted) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := newTarget(t, refserver.Config{}, tc.faults...)
			p, ok := scenarios.BuiltinProfile("graphql")
			require.True(t, ok)
			p.BaseURL = tg.profile.BaseURL
			tg.profile = p
			cfg := closedConfig(tg)
			cfg.ReuseRatio = 0.3

			report, err := load.Run(t.Context(), cfg)

			require.NoError(t, err)
			assert.Positive(t, report.Metrics.Requests)
			assert.Equal(t, int(report.Metrics.Requests), report.Metrics.StatusCodes["200"])
			assert.Positive(t, report.Tally.Injected.Reuse)
			tc.want(t, report.Tally.Findings)
		})
	}
}

func TestConfigErrors(t *testing.T) {
	p, ok := scenarios.BuiltinProfile("nuxt-drf")
	require.True(t, ok)
	remote, _ := scenarios.BuiltinProfile("nuxt-drf")
	remote.BaseURL = "http://192.0.2.10:8000"
	tests := []struct {
		name    string
		cfg     load.Config
		wantErr string
	}{
		{name: "no profile", cfg: load.Config{Duration: time.Second}, wantErr: "no profile"},
		{name: "unbounded", cfg: load.Config{Profile: p, GoogleURL: "http://127.0.0.1:1"},
			wantErr: "positive duration"},
		{name: "no google", cfg: load.Config{Profile: p, Duration: time.Second},
			wantErr: "no mockgoogle URL"},
		{name: "ratio", cfg: load.Config{Profile: p, GoogleURL: "http://127.0.0.1:1",
			Duration: time.Second, RaceRatio: 2}, wantErr: "race ratio 2"},
		{name: "remote", cfg: load.Config{Profile: remote, GoogleURL: "http://127.0.0.1:1",
			Duration: time.Second}, wantErr: "not a loopback address"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load.Run(t.Context(), tc.cfg)

			require.ErrorContains(t, err, tc.wantErr)
		})
	}
}

func TestTargetDown(t *testing.T) {
	p, ok := scenarios.BuiltinProfile("nuxt-drf")
	require.True(t, ok)
	p.BaseURL = "http://127.0.0.1:1"

	_, err := load.Run(t.Context(), load.Config{Profile: p, GoogleURL: sharedGoogle.URL(),
		Sessions: 3, Duration: time.Second, Timeout: time.Second})

	require.ErrorContains(t, err, "sign-ins failed")
}
