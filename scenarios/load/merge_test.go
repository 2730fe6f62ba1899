package load_test

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/authprobe/authprobe/refserver"
	"github.com/authprobe/authprobe/scenarios/load"
)

// runToFile runs a short attack on tg, writing its results and tally as authprobe load
// --output does.
func runToFile(t *testing.T, tg *target, path string, reuse float64) *load.Report {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	w := bufio.NewWriter(f)
	cfg := closedConfig(tg)
	cfg.ReuseRatio = reuse
	cfg.Observe = vegeta.NewEncoder(w).Encode

	report, err := load.Run(t.Context(), cfg)

	require.NoError(t, err)
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
	require.NoError(t, load.WriteTally(path, report.Tally))
	return report
}

// TestMerge merges the results of two runs, one on a refserver that accepts reuse, as
// two machines' results would be.
func TestMerge(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.bin"), filepath.Join(dir, "b.bin")
	ra := runToFile(t, newTarget(t, refserver.Config{}), a, 0)
	rb := runToFile(t, newTarget(t, refserver.Config{}, "no-blacklist"), b, 0.2)
	attacks := map[string]int{}

	merged, err := load.Merge([]string{a, b}, func(r *vegeta.Result) error {
		attacks[r.Attack]++
		return nil
	})

	require.NoError(t, err)
	m := merged.Metrics
	assert.Equal(t, ra.Metrics.Requests+rb.Metrics.Requests, m.Requests)
	assert.Equal(t, int(m.Requests), m.StatusCodes["200"])
	assert.Equal(t, rb.Tally.Findings.ReuseAccepted, merged.Tally.Findings.ReuseAccepted)
	assert.Positive(t, merged.Tally.Findings.ReuseAccepted)
	assert.Equal(t, int64(12), merged.Tally.Sessions.Established)
	assert.Equal(t, map[string]int{"a.bin": int(ra.Metrics.Requests),
		"b.bin": int(rb.Metrics.Requests)}, attacks)
	assert.Equal(t, []string{a, b}, merged.Sources)
}

func TestMergeErrors(t *testing.T) {
	dir := t.TempDir()
	noTally := filepath.Join(dir, "no-tally.bin")
	require.NoError(t, os.WriteFile(noTally, nil, 0o600))
	garbage := filepath.Join(dir, "garbage.bin")
	require.NoError(t, os.WriteFile(garbage, []byte("not results"), 0o600))
	require.NoError(t, load.WriteTally(garbage, load.Tally{}))

	tests := []struct {
		name    string
		files   []string
		wantErr string
	}{
		{name: "none", wantErr: "no results file"},
		{name: "missing", files: []string{filepath.Join(dir, "none.bin")},
			wantErr: "no such file"},
		{name: "no findings", files: []string{noTally}, wantErr: "no-tally.bin.findings.json"},
		{name: "not results", files: []string{garbage}, wantErr: "not a results file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load.Merge(tc.files, nil)

			require.ErrorContains(t, err, tc.wantErr)
		})
	}
}
