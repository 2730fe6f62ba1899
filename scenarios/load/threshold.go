package load

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Threshold is a gate on a report for CI, such as "p99<50ms", "success>=0.99" or
// "findings==0". Latencies take Go durations; success a ratio ("0.99") or a percentage
// ("99%"); throughput, requests and the findings plain numbers.
type Threshold struct {
	Metric string
	Op     string // <, <=, >, >=, == or !=
	Value  float64
	text   string
}

// metricKind says how a metric's values are written.
type metricKind uint8

const (
	kindDuration metricKind = iota
	kindRatio
	kindNumber
)

// thresholdMetric is one metric a threshold can gate.
type thresholdMetric struct {
	kind metricKind
	get  func(*Report) float64
}

// latencies are the latency metrics thresholds can gate, by name.
var latencies = map[string]func(vegeta.LatencyMetrics) time.Duration{
	"p50":  func(l vegeta.LatencyMetrics) time.Duration { return l.P50 },
	"p90":  func(l vegeta.LatencyMetrics) time.Duration { return l.P90 },
	"p95":  func(l vegeta.LatencyMetrics) time.Duration { return l.P95 },
	"p99":  func(l vegeta.LatencyMetrics) time.Duration { return l.P99 },
	"max":  func(l vegeta.LatencyMetrics) time.Duration { return l.Max },
	"mean": func(l vegeta.LatencyMetrics) time.Duration { return l.Mean },
}

// findings are the counts of findings thresholds can gate, by name.
var findings = map[string]func(Findings) int64{
	"findings":       Findings.Total,
	"reuse_accepted": func(f Findings) int64 { return f.ReuseAccepted },
	"forks":          func(f Findings) int64 { return f.Forks },
	"lost_sessions":  func(f Findings) int64 { return f.LostSessions },
	"unexpected":     func(f Findings) int64 { return f.Unexpected },
}

// others are the remaining metrics thresholds can gate, by name.
var others = map[string]thresholdMetric{
	"success":    {kindRatio, func(r *Report) float64 { return r.Metrics.Success }},
	"throughput": {kindNumber, func(r *Report) float64 { return r.Metrics.Throughput }},
	"requests":   {kindNumber, func(r *Report) float64 { return float64(r.Metrics.Requests) }},
}

// lookupMetric returns the metric of that name.
func lookupMetric(name string) (thresholdMetric, bool) {
	if get, ok := latencies[name]; ok {
		return thresholdMetric{kindDuration, func(r *Report) float64 {
			return float64(get(r.Metrics.Latencies))
		}}, true
	}
	if get, ok := findings[name]; ok {
		return thresholdMetric{kindNumber, func(r *Report) float64 {
			return float64(get(r.Tally.Findings))
		}}, true
	}
	m, ok := others[name]
	return m, ok
}

// metricNames lists every metric thresholds can gate, sorted.
func metricNames() string {
	names := slices.Collect(maps.Keys(latencies))
	names = slices.AppendSeq(names, maps.Keys(findings))
	names = slices.AppendSeq(names, maps.Keys(others))
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// operators are the comparisons, two-character ones first so that "<=" is not read as
// "<" followed by "=".
var operators = []string{"<=", ">=", "==", "!=", "<", ">"}

// ParseThreshold parses a threshold such as "p99<50ms". Its error names the known
// metrics or the expected form of the value.
func ParseThreshold(s string) (Threshold, error) {
	text := strings.ReplaceAll(s, " ", "")
	i := strings.IndexAny(text, "<>=!")
	if i <= 0 {
		return Threshold{}, fmt.Errorf("load: threshold %q: want METRIC OP VALUE, such as "+
			"p99<50ms or findings==0", s)
	}
	t := Threshold{Metric: text[:i], text: text}
	m, ok := lookupMetric(t.Metric)
	if !ok {
		return Threshold{}, fmt.Errorf("load: threshold %q: unknown metric %q (known: %s)", s,
			t.Metric, metricNames())
	}
	for _, op := range operators {
		if strings.HasPrefix(text[i:], op) {
			t.Op = op
			break
		}
	}
	if t.Op == "" {
		return Threshold{}, fmt.Errorf("load: threshold %q: unknown comparison (want one "+
			"of %s)", s, strings.Join(operators, " "))
	}
	value, err := parseValue(m.kind, text[i+len(t.Op):])
	if err != nil {
		return Threshold{}, fmt.Errorf("load: threshold %q: %w", s, err)
	}
	t.Value = value
	return t, nil
}

func parseValue(kind metricKind, v string) (float64, error) {
	switch kind {
	case kindDuration:
		d, err := time.ParseDuration(v)
		if err != nil {
			return 0, fmt.Errorf("%q is not a duration such as 50ms", v)
		}
		return float64(d), nil
	case kindRatio:
		if pct, ok := strings.CutSuffix(v, "%"); ok {
			f, err := strconv.ParseFloat(pct, 64)
			if err != nil {
				return 0, fmt.Errorf("%q is not a percentage such as 99.9%%", v)
			}
			return f / 100, nil
		}
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", v)
	}
	return f, nil
}

// String returns the threshold as it was written, without spaces.
func (t Threshold) String() string { return t.text }

// Check reports whether the report meets the threshold, and the value it has.
func (t Threshold) Check(r *Report) (ok bool, got string) {
	m, known := lookupMetric(t.Metric)
	if !known {
		return false, "not a metric"
	}
	v := m.get(r)
	switch m.kind {
	case kindDuration:
		got = roundDuration(time.Duration(v)).String()
	case kindRatio:
		got = strconv.FormatFloat(v, 'f', 4, 64)
	default:
		got = strconv.FormatFloat(v, 'f', -1, 64)
	}
	switch t.Op {
	case "<":
		ok = v < t.Value
	case "<=":
		ok = v <= t.Value
	case ">":
		ok = v > t.Value
	case ">=":
		ok = v >= t.Value
	case "==":
		ok = v == t.Value
	case "!=":
		ok = v != t.Value
	}
	return ok, got
}

// Broken returns, for each threshold the report does not meet, a line saying so, such
// as "p99<50ms: p99 is 72.31ms".
func Broken(r *Report, thresholds []Threshold) []string {
	var broken []string
	for _, t := range thresholds {
		if ok, got := t.Check(r); !ok {
			broken = append(broken, fmt.Sprintf("%s: %s is %s", t, t.Metric, got))
		}
	}
	return broken
}
