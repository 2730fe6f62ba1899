package scenarios

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// JUnit XML as CI systems read it: one testsuite per check suite, one testcase per check.
// A warning is a passing test case with the warning in system-out; an expected failure is
// a skipped one that says so. A result's note goes in system-out on a line of its own.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"` // seconds
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"` // seconds
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"` // seconds
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// WriteJUnit writes the report as JUnit XML.
func (r *Report) WriteJUnit(w io.Writer) error {
	out := junitSuites{Name: "authprobe", Time: seconds(r.Duration)}
	index := map[string]int{}
	var spans []span
	for _, res := range r.Results {
		i, ok := index[res.Suite]
		if !ok {
			i = len(out.Suites)
			index[res.Suite] = i
			out.Suites = append(out.Suites, junitSuite{
				Name: res.Suite, Timestamp: r.Started.UTC().Format(time.RFC3339),
				Properties: []junitProperty{
					{Name: "target", Value: r.Target}, {Name: "profile", Value: r.Profile},
				},
			})
			spans = append(spans, span{})
		}
		spans[i].add(res, r.Started)
		s := &out.Suites[i]
		c := junitCaseOf(res)
		s.Cases = append(s.Cases, c)
		s.Tests++
		s.Failures += boolInt(c.Failure != nil)
		s.Errors += boolInt(c.Error != nil)
		s.Skipped += boolInt(c.Skipped != nil)
	}
	for i := range out.Suites {
		s := &out.Suites[i]
		s.Time = seconds(spans[i].end.Sub(spans[i].start))
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
	}

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("scenarios: write junit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("scenarios: write junit report: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("scenarios: write junit report: %w", err)
	}
	return nil
}

// span is the wall time a suite's checks took, from the first start to the last end.
// Checks run side by side, so the sum of their durations can exceed the whole run.
type span struct{ start, end time.Time }

// add widens s to cover res; a result without a start time counts from runStart.
func (s *span) add(res Result, runStart time.Time) {
	start := res.Started
	if start.IsZero() {
		start = runStart
	}
	end := start.Add(res.Duration)
	if s.start.IsZero() || start.Before(s.start) {
		s.start = start
	}
	if end.After(s.end) {
		s.end = end
	}
}

func junitCaseOf(res Result) junitCase {
	c := junitCase{Name: res.ID, Classname: "authprobe." + res.Suite, Time: seconds(res.Duration)}
	var lines []string
	for _, e := range res.Evidence {
		lines = append(lines, e.String())
	}
	detail := strings.Join(lines, "\n")
	problem := &junitProblem{Message: res.Summary, Type: string(res.Level), Text: detail}
	switch {
	case res.Expected != "":
		c.Skipped = &junitProblem{Message: "expected failure: " + res.Expected + ": " + res.Summary}
	case res.Status == StatusFail:
		c.Failure = problem
	case res.Status == StatusError:
		c.Error = problem
	case res.Status == StatusSkip:
		c.Skipped = &junitProblem{Message: res.Summary}
	case res.Status == StatusWarn:
		c.SystemOut = "warn: " + res.Summary + "\n" + detail
	default:
		c.SystemOut = res.Summary
	}
	if res.Note != "" {
		c.SystemOut = strings.TrimPrefix(c.SystemOut+"\n"+res.Note, "\n")
	}
	return c
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
