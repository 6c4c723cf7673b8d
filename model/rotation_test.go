package model

import (
	"strings"
	"testing"
	"time"
)

func TestParseRotationDelayAccepts(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"now", 0},
		{"1h", time.Hour},
		{"24h", 24 * time.Hour},
		{"48h", 48 * time.Hour},
		{"7d", 7 * 24 * time.Hour},
		{" 7d ", 7 * 24 * time.Hour},
		{"90m", 90 * time.Minute},
		{"2s", 2 * time.Second},
		{"1s", time.Second},
		{"1.5d", 36 * time.Hour},
		{"30d", 30 * 24 * time.Hour},
		{"720h", 30 * 24 * time.Hour},
		{"1h30m", 90 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRotationDelay(tt.in)
			if err != nil {
				t.Fatalf("ParseRotationDelay(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseRotationDelay(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseRotationDelayRefuses(t *testing.T) {
	tests := []struct {
		in, wantErr string
	}{
		{"0s", "out of range"},
		{"0d", "out of range"},
		{"999ms", "out of range"},
		{"31d", "out of range"},
		{"720h1s", "out of range"},
		{"-1h", "out of range"},
		{"-1d", "out of range"},
		{"1e10d", "out of range"},
		{"1e300d", "out of range"},
		{"-1e300d", "out of range"},
		{"NaNd", "invalid rotation delay"},
		{"Infd", "invalid rotation delay"},
		{"-Infd", "invalid rotation delay"},
		{"1e400d", "invalid rotation delay"},
		{"", "invalid rotation delay"},
		{"d", "invalid rotation delay"},
		{"garbage", "invalid rotation delay"},
		{"7 days", "invalid rotation delay"},
		{"1w", "invalid rotation delay"},
		{"never", "invalid rotation delay"},
		{"1h\x1b[2J", "invalid rotation delay"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRotationDelay(tt.in)
			if err == nil {
				t.Fatalf("ParseRotationDelay(%q) = %s, want an error", tt.in, got)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseRotationDelay(%q) error %q, want it to mention %q", tt.in, err, tt.wantErr)
			}
			if strings.ContainsRune(err.Error(), '\x1b') {
				t.Errorf("error %q carries an escape character", err)
			}
		})
	}
}

func TestRotationChoicesAreLagosPicker(t *testing.T) {
	var flags []string
	for _, c := range RotationChoices {
		flags = append(flags, c.Flag)
		got, err := ParseRotationDelay(c.Flag)
		if err != nil || got != c.Delay {
			t.Errorf("choice %s: ParseRotationDelay = %s, %v; want %s", c.Flag, got, err, c.Delay)
		}
		if c.Label == "" {
			t.Errorf("choice %s has no label", c.Flag)
		}
	}
	if strings.Join(flags, " ") != "now 1h 24h 48h 7d" {
		t.Errorf("choices = %v", flags)
	}
}
