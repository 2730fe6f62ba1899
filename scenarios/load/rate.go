package load

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// ParseRate parses an attack rate: "500/s", "500/1s", "30/100ms", "1200/m" or a bare
// "500" (per second). "0" is the zero Rate, which asks for the closed model.
func ParseRate(s string) (vegeta.Rate, error) {
	freqText, perText, hasPer := strings.Cut(strings.TrimSpace(s), "/")
	freq, err := strconv.Atoi(freqText)
	if err != nil || freq < 0 {
		return vegeta.Rate{}, fmt.Errorf("load: rate %q: want a count of requests per "+
			"period, such as 500/s, or 0 for the closed model", s)
	}
	if freq == 0 {
		return vegeta.Rate{}, nil
	}
	per := time.Second
	if hasPer {
		if perText != "" && (perText[0] < '0' || perText[0] > '9') {
			perText = "1" + perText
		}
		per, err = time.ParseDuration(perText)
		if err != nil || per <= 0 {
			return vegeta.Rate{}, fmt.Errorf("load: rate %q: period %q is not a positive "+
				"duration", s, perText)
		}
	}
	return vegeta.Rate{Freq: freq, Per: per}, nil
}

// rampPacer paces an open-model attack that starts at one request a second, climbs
// linearly (vegeta's LinearPacer) to the rate over the ramp, then holds the rate.
type rampPacer struct {
	up   vegeta.LinearPacer
	hold vegeta.ConstantPacer
	ramp time.Duration
	// upHits is how many requests the climb sends.
	upHits uint64
}

var _ vegeta.Pacer = rampPacer{}

func newRampPacer(rate vegeta.Rate, ramp time.Duration) rampPacer {
	start := vegeta.Rate{Freq: 1, Per: time.Second}
	slope := (rate.Rate(0) - 1) / ramp.Seconds()
	x := ramp.Seconds()
	return rampPacer{
		up:     vegeta.LinearPacer{StartAt: start, Slope: slope},
		hold:   rate,
		ramp:   ramp,
		upHits: uint64(x + slope*x*x/2),
	}
}

// Pace implements vegeta.Pacer.
func (p rampPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if elapsed < p.ramp {
		wait, stop := p.up.Pace(elapsed, hits)
		return min(wait, p.ramp-elapsed), stop
	}
	if hits < p.upHits {
		return 0, false
	}
	return p.hold.Pace(elapsed-p.ramp, hits-p.upHits)
}

// Rate implements vegeta.Pacer.
func (p rampPacer) Rate(elapsed time.Duration) float64 {
	if elapsed < p.ramp {
		return p.up.Rate(elapsed)
	}
	return p.hold.Rate(elapsed)
}
