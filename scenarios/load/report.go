package load

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Report is the outcome of a load run, or of several merged: vegeta's metrics of the
// attack's results and the tally of what was counted apart from them.
type Report struct {
	Target  string // the target's base URL; "" for a merged report
	Profile string
	Model   string // how the attack was paced, in a few words
	// Sources are the results files a merged report was made of.
	Sources []string
	// Metrics are vegeta's, over the attack's results only: injected requests are not in
	// them.
	Metrics vegeta.Metrics
	Tally   Tally
	// Interrupted says the run was stopped (Ctrl-C) before its duration had passed.
	Interrupted bool
	// Ended says why the attack ended early, when it did for another reason.
	Ended string
}

// jsonReport is the JSON form of a load report, key for key as documented in the
// README's section on authprobe load.
type jsonReport struct {
	Requests     uint64         `json:"requests"`
	DurationS    float64        `json:"duration_s"` // seconds, attack and wait for answers
	Throughput   float64        `json:"throughput"` // successful requests per second
	SuccessRatio float64        `json:"success_ratio"`
	LatencyMS    jsonLatency    `json:"latency_ms"`
	StatusCodes  map[string]int `json:"status_codes"`
	Findings     Findings       `json:"findings"`
}

// jsonLatency holds latency quantiles in milliseconds.
type jsonLatency struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// MarshalJSON writes the report as the load report's JSON object.
func (r *Report) MarshalJSON() ([]byte, error) {
	m := &r.Metrics
	codes := m.StatusCodes
	if codes == nil {
		codes = map[string]int{}
	}
	return json.Marshal(jsonReport{
		Requests:     m.Requests,
		DurationS:    (m.Duration + m.Wait).Seconds(),
		Throughput:   m.Throughput,
		SuccessRatio: m.Success,
		LatencyMS: jsonLatency{P50: millis(m.Latencies.P50), P90: millis(m.Latencies.P90),
			P99: millis(m.Latencies.P99), Max: millis(m.Latencies.Max)},
		StatusCodes: codes,
		Findings:    r.Tally.Findings,
	})
}

// WriteJSON writes the report's JSON object, indented, and a newline.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report for people.
func (r *Report) WriteText(w io.Writer) error {
	m, t := &r.Metrics, &r.Tally
	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-14s%s\n", label, fmt.Sprintf(format, args...))
	}

	if r.Target != "" {
		line("target", "%s (profile %s)", r.Target, r.Profile)
		line("model", "%s", r.Model)
	}
	if len(r.Sources) > 0 {
		line("merged", "%d results files: %s", len(r.Sources), strings.Join(r.Sources, ", "))
	}
	if r.Interrupted {
		line("interrupted", "stopped before its duration; the figures cover what was sent")
	}
	if r.Ended != "" {
		line("ended early", "%s", r.Ended)
	}
	line("requests", "%d in %s, throughput %.1f/s, success %.2f%%", m.Requests,
		roundDuration(m.Duration+m.Wait), m.Throughput, m.Success*100)
	line("latency", "p50 %s  p90 %s  p99 %s  max %s", roundDuration(m.Latencies.P50),
		roundDuration(m.Latencies.P90), roundDuration(m.Latencies.P99),
		roundDuration(m.Latencies.Max))
	line("status codes", "%s", statusCodes(m.StatusCodes))
	if len(m.Errors) > 0 {
		line("errors", "%s", strings.Join(m.Errors[:min(len(m.Errors), 5)], "; "))
	}
	line("sessions", "%d established (%d sign-ins failed), %d retired after an injection or "+
		"a failure, %d replaced, %d alive at the end", t.Sessions.Established,
		t.Sessions.SignInFailed, t.Sessions.Retired, t.Sessions.Replaced, t.Sessions.Alive)
	line("injected", "%d reuses of rotated-out tokens, %d duplicate refresh pairs "+
		"(out of band: not in the figures above)", t.Injected.Reuse, t.Injected.Race)
	f := t.Findings
	line("findings", "%d: reuse accepted %d, forks %d, lost sessions %d, unexpected %d",
		f.Total(), f.ReuseAccepted, f.Forks, f.LostSessions, f.Unexpected)

	_, err := io.WriteString(w, b.String())
	return err
}

// statusCodes renders a status code histogram as "200:9811 401:12", in code order.
func statusCodes(codes map[string]int) string {
	if len(codes) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s:%d", k, codes[k])
	}
	return strings.Join(parts, " ")
}

// roundDuration keeps about four significant digits of a latency or duration.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(time.Microsecond)
	}
	return d.Round(time.Nanosecond)
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
