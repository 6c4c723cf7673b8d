package cli

import (
	"slices"
	"strings"
	"time"

	"github.com/keyrack/keyrack/model"
)

// parseRemindBefore reads --remind-before: durations from 1m to 30d,
// comma-separated, or none.
func parseRemindBefore(s string) ([]time.Duration, error) {
	if strings.TrimSpace(s) == "none" {
		return nil, nil
	}
	var out []time.Duration
	for _, part := range strings.Split(s, ",") {
		d, err := model.ParseSpan("--remind-before", part, time.Minute, model.MaxRotationDelay)
		if err != nil {
			return nil, usageError{err.Error()}
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out, nil
}
