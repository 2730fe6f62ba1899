package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Report is the outcome of a [Run]. Its JSON form is the report format of DESIGN.md
// section 7.
type Report struct {
	Target   string
	Profile  string
	Started  time.Time
	Duration time.Duration
	Results  []Result
	Summary  Summary
}

// Summary counts the results by status.
type Summary struct {
	Pass  int `json:"pass"`
	Fail  int `json:"fail"`
	Warn  int `json:"warn"`
	Skip  int `json:"skip"`
	Error int `json:"error"`
}

func (s Summary) total() int { return s.Pass + s.Fail + s.Warn + s.Skip + s.Error }

func summarize(results []Result) Summary {
	var s Summary
	for _, r := range results {
		switch r.Status {
		case StatusPass:
			s.Pass++
		case StatusFail:
			s.Fail++
		case StatusWarn:
			s.Warn++
		case StatusSkip:
			s.Skip++
		case StatusError:
			s.Error++
		}
	}
	return s
}

// Failed reports whether the run failed: some must-check failed or errored and is not an
// expected failure.
func (r *Report) Failed() bool {
	for _, res := range r.Results {
		if res.Failed() {
			return true
		}
	}
	return false
}

// reportJSON is the wire form of a Report.
type reportJSON struct {
	Target     string    `json:"target"`
	Profile    string    `json:"profile"`
	Started    time.Time `json:"started"`
	DurationMS int64     `json:"duration_ms"`
	Results    []Result  `json:"results"`
	Summary    Summary   `json:"summary"`
}

type resultJSON struct {
	ID         string     `json:"id"`
	Suite      string     `json:"suite"`
	Level      Level      `json:"level"`
	Status     Status     `json:"status"`
	Summary    string     `json:"summary"`
	Evidence   []Evidence `json:"evidence"`
	DurationMS int64      `json:"duration_ms"` // milliseconds
	Expected   string     `json:"expected,omitempty"`
	Note       string     `json:"note,omitempty"`
}

// MarshalJSON encodes r as DESIGN.md section 7 fixes it, durations in milliseconds.
func (r *Report) MarshalJSON() ([]byte, error) {
	results := r.Results
	if results == nil {
		results = []Result{}
	}
	return marshalJSON(reportJSON{
		Target: r.Target, Profile: r.Profile, Started: r.Started.UTC(),
		DurationMS: r.Duration.Milliseconds(), Results: results, Summary: r.Summary,
	})
}

// MarshalJSON encodes one result of the report, its duration in milliseconds.
func (r Result) MarshalJSON() ([]byte, error) {
	ev := r.Evidence
	if ev == nil {
		ev = []Evidence{}
	}
	return marshalJSON(resultJSON{
		ID: r.ID, Suite: r.Suite, Level: r.Level, Status: r.Status, Summary: r.Summary,
		Evidence: ev, DurationMS: r.Duration.Milliseconds(), Expected: r.Expected,
		Note: r.Note,
	})
}

// marshalJSON is json.Marshal without HTML escaping, so that evidence such as
// "<fp:6aeb6825>" reads as it is.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("scenarios: write json report: %w", err)
	}
	return nil
}
