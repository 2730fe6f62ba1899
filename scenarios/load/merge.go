package load

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// TallyFile returns the name of the file that holds the tally of a run whose results
// went to results: the findings travel next to vegeta's results, which cannot carry them.
func TallyFile(results string) string { return results + ".findings.json" }

// WriteTally writes t as JSON to TallyFile(results).
func WriteTally(results string, t Tally) error {
	data, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return fmt.Errorf("load: encode tally: %w", err)
	}
	if err := os.WriteFile(TallyFile(results), append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("load: write tally: %w", err)
	}
	return nil
}

// ReadTally reads the tally written next to results.
func ReadTally(results string) (Tally, error) {
	var t Tally
	data, err := os.ReadFile(TallyFile(results))
	if err != nil {
		return t, fmt.Errorf("load: read the findings of %s (written next to the results "+
			"by authprobe load --output): %w", results, err)
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return t, fmt.Errorf("load: read %s: %w", TallyFile(results), err)
	}
	return t, nil
}

// Merge makes one report of the results files of several runs, from several machines
// for instance, and of the tally next to each. Results may be in any encoding vegeta
// writes (its own, JSON or CSV). observe, when set, receives every result; when there are
// several files, each file's results are named after it (Result.Attack), so that a plot
// keeps them apart.
func Merge(files []string, observe func(*vegeta.Result) error) (*Report, error) {
	if len(files) == 0 {
		return nil, errors.New("load: no results file to merge")
	}
	report := &Report{Sources: files}
	for _, name := range files {
		if err := mergeResults(report, name, len(files) > 1, observe); err != nil {
			return nil, err
		}
		t, err := ReadTally(name)
		if err != nil {
			return nil, err
		}
		report.Tally.Add(t)
	}
	report.Metrics.Close()
	return report, nil
}

func mergeResults(report *Report, name string, rename bool,
	observe func(*vegeta.Result) error) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Size() == 0 {
		return nil // a run that sent nothing
	}

	dec := vegeta.DecoderFor(f)
	if dec == nil {
		return fmt.Errorf("load: %s is not a results file vegeta can read", name)
	}
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("load: read %s: %w", name, err)
		}
		report.Metrics.Add(&r)
		if rename {
			r.Attack = filepath.Base(name)
		}
		if observe != nil {
			if err := observe(&r); err != nil {
				return err
			}
		}
	}
}
