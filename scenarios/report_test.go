package scenarios

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sampleReport is a report with one result of every kind, fixed in time.
func sampleReport() *Report {
	results := []Result{
		{ID: "exchange/code-accepted", Suite: "exchange", Level: Must, Status: StatusPass,
			Summary:  "/social-login/google/ exchanged a Google code",
			Duration: 12 * time.Millisecond},
		{ID: "exchange/no-store", Suite: "exchange", Level: Should, Status: StatusWarn,
			Summary:  "the login answer lacks Cache-Control: no-store",
			Duration: 3 * time.Millisecond,
			Evidence: []Evidence{{Request: "POST http://127.0.0.1:8000/social-login/google/",
				Body: "code=<fp:6aeb6825>&client_id=authprobe-client", Status: 200,
				Response: `{"access_token":"<fp:190fb597>"}`}}},
		{ID: "rotation/new-refresh-token", Suite: "rotation", Level: Must, Status: StatusFail,
			Summary: "the refresh answered the same refresh token again", Duration: time.Second,
			Evidence: []Evidence{{Note: "refresh token <fp:76c35adb> came back"}}},
		{ID: "reuse/logout-revokes", Suite: "reuse", Level: Must, Status: StatusSkip,
			Summary: "the profile has no logout endpoint"},
		{ID: "reuse/rotated-refused", Suite: "reuse", Level: Must, Status: StatusError,
			Summary: "POST /auth/token/refresh/: connection refused",
			Evidence: []Evidence{{Request: "POST http://127.0.0.1:8000/auth/token/refresh/",
				Error: "connection refused"}}},
		{ID: "reuse/family-revoked", Suite: "reuse", Level: Should, Status: StatusWarn,
			Summary: "its successor still refreshes", Expected: "SimpleJWT has no families"},
	}
	return &Report{
		Target: "http://127.0.0.1:8000", Profile: "nuxt-drf",
		Started:  time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC),
		Duration: 1500 * time.Millisecond, Results: results, Summary: summarize(results),
	}
}

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}

func TestReportText(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, sampleReport().WriteText(&buf, TextOptions{}))
	golden(t, "report.txt", buf.Bytes())

	buf.Reset()
	require.NoError(t, sampleReport().WriteText(&buf, TextOptions{Color: true}))
	assert.Contains(t, buf.String(), "\x1b[31mFAIL \x1b[0m")
}

func TestReportJSON(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, sampleReport().WriteJSON(&buf))
	golden(t, "report.json", buf.Bytes())

	// The shape DESIGN.md section 7 fixes, read back generically.
	var doc map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	assert.ElementsMatch(t, []string{"target", "profile", "started", "duration_ms", "results",
		"summary"}, keysOf(doc))
	results := doc["results"].([]any)
	require.Len(t, results, 6)
	first := results[0].(map[string]any)
	assert.ElementsMatch(t, []string{"id", "suite", "level", "status", "summary", "evidence",
		"duration_ms"}, keysOf(first))
	assert.Equal(t, 12.0, first["duration_ms"])
	assert.Equal(t, map[string]any{"pass": 1.0, "fail": 1.0, "warn": 2.0, "skip": 1.0,
		"error": 1.0}, doc["summary"])
	assert.Equal(t, "SimpleJWT has no families", results[5].(map[string]any)["expected"])
}

func keysOf(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

func TestReportJUnit(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, sampleReport().WriteJUnit(&buf))

	// Read it back the way a JUnit consumer does.
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Errors   int      `xml:"errors,attr"`
		Skipped  int      `xml:"skipped,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Tests int    `xml:"tests,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Time    string `xml:"time,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
				Error   *struct{} `xml:"error"`
				Skipped *struct {
					Message string `xml:"message,attr"`
				} `xml:"skipped"`
				SystemOut string `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc))

	assert.Equal(t, 6, doc.Tests)
	assert.Equal(t, 1, doc.Failures)
	assert.Equal(t, 1, doc.Errors)
	assert.Equal(t, 2, doc.Skipped, "the skip and the expected failure")
	require.Len(t, doc.Suites, 3)
	assert.Equal(t, "rotation", doc.Suites[1].Name)
	fail := doc.Suites[1].Cases[0]
	require.NotNil(t, fail.Failure)
	assert.Equal(t, "the refresh answered the same refresh token again", fail.Failure.Message)
	assert.Contains(t, fail.Failure.Text, "refresh token <fp:76c35adb> came back")
	assert.Equal(t, "1.000", fail.Time)
	assert.Contains(t, doc.Suites[0].Cases[1].SystemOut, "warn: the login answer lacks")
	assert.Contains(t, doc.Suites[2].Cases[2].Skipped.Message,
		"expected failure: SimpleJWT has no families")
}

func TestWriteHAR(t *testing.T) {
	c, _, log := newWireClient(t, nuxtDRFProfile())
	_, err := c.Refresh(t.Context(), "secret-refresh")
	require.NoError(t, err)

	var buf bytes.Buffer
	require.NoError(t, WriteHAR(&buf, log.Exchanges(), "test"))

	assert.NotContains(t, buf.String(), "secret-refresh")
	var har struct {
		Log struct {
			Version string `json:"version"`
			Entries []struct {
				Request struct {
					Method   string `json:"method"`
					PostData struct {
						MimeType string `json:"mimeType"`
						Text     string `json:"text"`
					} `json:"postData"`
				} `json:"request"`
				Response struct {
					Status  int `json:"status"`
					Content struct {
						Text string `json:"text"`
					} `json:"content"`
				} `json:"response"`
			} `json:"entries"`
		} `json:"log"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &har))
	assert.Equal(t, "1.2", har.Log.Version)
	require.Len(t, har.Log.Entries, 1)
	e := har.Log.Entries[0]
	assert.Equal(t, "POST", e.Request.Method)
	assert.Equal(t, "application/x-www-form-urlencoded", e.Request.PostData.MimeType)
	assert.Contains(t, e.Request.PostData.Text, "refresh_token=<fp:")
	assert.Equal(t, 200, e.Response.Status)
}

func TestExpectedFailures(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
		return path
	}

	good := write("good.yaml", "- id: rotation/new-refresh-token\n"+
		"  reason: rotation is switched off on purpose\n"+
		"- {id: reuse/rotated-refused, reason: the refresh endpoint is down for maintenance}\n")
	efs, err := LoadExpectedFailures(good, Checks())
	require.NoError(t, err)
	require.Len(t, efs, 2)

	report := sampleReport()
	require.True(t, report.Failed())
	report.MarkExpected(efs[:1])
	assert.True(t, report.Failed(), "the error is not expected yet")
	report.MarkExpected(efs)
	assert.False(t, report.Failed())
	assert.Equal(t, "rotation is switched off on purpose", report.Results[2].Expected)
	assert.Equal(t, StatusFail, report.Results[2].Status, "the status stays")

	tests := []struct{ name, body, want string }{
		{"unknown id", "- id: rotation/nope\n  reason: x\n", `bad.yaml:1: id: "rotation/nope"`},
		{"no reason", "- id: reuse/family-revoked\n", "bad.yaml:1: reason: say why"},
		{"unknown field", "- id: reuse/family-revoked\n  why: x\n", "bad.yaml:2: why: unknown"},
		{"not a list", "id: x\n", "bad.yaml:1: want a list"},
		{"syntax", "- id: reuse/family-revoked\n  reason: [x\n",
			"bad.yaml:2: did not find expected ',' or ']'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadExpectedFailures(write("bad.yaml", tc.body), Checks())
			var cerr *ConfigError
			require.ErrorAs(t, err, &cerr)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestStaleExpectedFailure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ef.yaml")
	require.NoError(t, os.WriteFile(path, []byte("- id: exchange/code-accepted\n"+
		"  reason: the login endpoint used to be down\n"), 0o600))
	efs, err := LoadExpectedFailures(path, Checks())
	require.NoError(t, err)
	report := sampleReport()
	report.MarkExpected(efs)

	note := "expected failure exchange/code-accepted no longer fails: remove it from " + path
	assert.Equal(t, note, report.Results[0].Note)
	assert.Empty(t, report.Results[0].Expected)
	assert.Equal(t, StatusPass, report.Results[0].Status)
	assert.True(t, report.Failed(), "a stale entry changes no verdict")

	var text, js, junit bytes.Buffer
	require.NoError(t, report.WriteText(&text, TextOptions{}))
	assert.Contains(t, text.String(), "\n\n"+note+"\n\n6 checks in")

	require.NoError(t, report.WriteJSON(&js))
	var doc struct{ Results []map[string]any }
	require.NoError(t, json.Unmarshal(js.Bytes(), &doc))
	assert.Equal(t, note, doc.Results[0]["note"])
	assert.NotContains(t, doc.Results[1], "note")

	require.NoError(t, report.WriteJUnit(&junit))
	var suites struct {
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				SystemOut string `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(junit.Bytes(), &suites))
	assert.Equal(t, 1, suites.Failures, "the note is no failure")
	assert.Equal(t, "/social-login/google/ exchanged a Google code\n"+note,
		suites.Suites[0].Cases[0].SystemOut)
}

func TestJUnitSuiteTime(t *testing.T) {
	start := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return start.Add(time.Duration(ms) * time.Millisecond) }
	results := []Result{
		{ID: "exchange/code-accepted", Suite: "exchange", Level: Must, Status: StatusPass,
			Started: at(20), Duration: 200 * time.Millisecond},
		{ID: "exchange/no-store", Suite: "exchange", Level: Should, Status: StatusPass,
			Started: at(10), Duration: 148 * time.Millisecond},
		{ID: "rotation/new-refresh-token", Suite: "rotation", Level: Must, Status: StatusPass,
			Started: at(150), Duration: 70 * time.Millisecond},
	}
	report := &Report{Started: start, Duration: 224 * time.Millisecond, Results: results,
		Summary: summarize(results)}

	var buf bytes.Buffer
	require.NoError(t, report.WriteJUnit(&buf))
	var doc struct {
		Time   string `xml:"time,attr"`
		Suites []struct {
			Time string `xml:"time,attr"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc))
	assert.Equal(t, "0.224", doc.Time)
	require.Len(t, doc.Suites, 2)
	assert.Equal(t, "0.210", doc.Suites[0].Time, "from the first start to the last end, "+
		"not the sum of the parallel cases")
	assert.Equal(t, "0.070", doc.Suites[1].Time)
}
