package load_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReportJSON holds the JSON report to the keys issue 5 fixes, and no others.
func TestReportJSON(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, sampleReport().WriteJSON(&buf))

	var got map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &got))

	assert.Equal(t, []string{"duration_s", "findings", "latency_ms", "requests",
		"status_codes", "success_ratio", "throughput"}, slices.Sorted(maps.Keys(got)))
	assert.Equal(t, map[string]any{"p50": 5.0, "p90": 0.0, "p99": 40.0, "max": 0.0},
		got["latency_ms"])
	assert.Equal(t, map[string]any{"reuse_accepted": 0.0, "forks": 2.0,
		"lost_sessions": 0.0, "unexpected": 0.0}, got["findings"])
	assert.Equal(t, map[string]any{"200": 995.0, "500": 5.0}, got["status_codes"])
	assert.Equal(t, 1000.0, got["requests"])
	assert.Equal(t, 0.995, got["success_ratio"])
	assert.Equal(t, 480.5, got["throughput"])
}

func TestReportText(t *testing.T) {
	r := sampleReport()
	r.Target, r.Profile, r.Model = "http://127.0.0.1:8000", "nuxt-drf", "closed, 4 workers"
	r.Interrupted = true
	var buf bytes.Buffer

	require.NoError(t, r.WriteText(&buf))

	text := buf.String()
	for _, want := range []string{
		"target        http://127.0.0.1:8000 (profile nuxt-drf)\n",
		"interrupted   stopped before its duration",
		"latency       p50 5ms  p90 0s  p99 40ms  max 0s\n",
		"status codes  200:995 500:5\n",
		"success 99.50%",
		"findings      2: reuse accepted 0, forks 2, lost sessions 0, unexpected 0\n",
	} {
		assert.Contains(t, text, want)
	}
	assert.False(t, strings.Contains(text, "merged"))
}
