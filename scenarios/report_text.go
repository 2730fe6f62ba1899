package scenarios

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// maxTextEvidence caps the evidence lines the text report shows under one check.
const maxTextEvidence = 8

// TextOptions shape the text report.
type TextOptions struct {
	// Color marks statuses with ANSI colours; set it only when writing to a terminal.
	Color bool
}

var statusColor = map[Status]string{
	StatusPass:  "\x1b[32m", // green
	StatusFail:  "\x1b[31m", // red
	StatusWarn:  "\x1b[33m", // yellow
	StatusSkip:  "\x1b[36m", // cyan
	StatusError: "\x1b[35m", // magenta
}

// WriteText writes the report for people: a header, a line per check with its verdict
// and summary, the evidence under each check that did not pass, the results' notes (see
// [Result.Note]), and a summary line.
func (r *Report) WriteText(w io.Writer, opts TextOptions) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "authprobe check: %s (profile %s)\n\n", r.Target, r.Profile)

	width := 0
	for _, res := range r.Results {
		width = max(width, len(res.ID))
	}
	for _, res := range r.Results {
		status := strings.ToUpper(string(res.Status))
		label := fmt.Sprintf("%-5s", status)
		if opts.Color {
			label = statusColor[res.Status] + label + "\x1b[0m"
		}
		summary := res.Summary
		if res.Expected != "" {
			summary += " (expected: " + res.Expected + ")"
		}
		fmt.Fprintf(bw, "%s  %-*s  %s\n", label, width, res.ID, summary)
		if res.Status != StatusPass && res.Status != StatusSkip {
			writeEvidence(bw, res.Evidence)
		}
	}
	writeNotes(bw, r.Results)

	s := r.Summary
	fmt.Fprintf(bw, "\n%d checks in %s: %d pass, %d fail, %d warn, %d skip, %d error\n",
		s.total(), r.Duration.Round(time.Millisecond), s.Pass, s.Fail, s.Warn, s.Skip, s.Error)
	if r.Failed() {
		fmt.Fprintln(bw, "FAILED: a must-check did not pass")
	} else {
		fmt.Fprintln(bw, "OK: every must-check passed or is an expected failure")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("scenarios: write text report: %w", err)
	}
	return nil
}

// writeNotes writes the results' notes in a block of their own, if there are any.
func writeNotes(w io.Writer, results []Result) {
	blank := "\n"
	for _, res := range results {
		if res.Note != "" {
			fmt.Fprintf(w, "%s%s\n", blank, res.Note)
			blank = ""
		}
	}
}

func writeEvidence(w io.Writer, ev []Evidence) {
	for i, e := range ev {
		if i == maxTextEvidence {
			fmt.Fprintf(w, "         ... %d more (see the JSON report or the HAR file)\n",
				len(ev)-i)
			return
		}
		fmt.Fprintf(w, "         %s\n", e)
	}
}
