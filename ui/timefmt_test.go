package ui

import (
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

func TestRelativeTimes(t *testing.T) {
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Time{}, "never"},
		{now.Add(-2 * time.Second), "just now"},
		{now.Add(-42 * time.Second), "42 s ago"},
		{now.Add(-3*time.Minute - 10*time.Second), "3 min ago"},
		{now.Add(-5 * time.Hour), "5 h ago"},
		{now.Add(-30 * time.Hour), "1 day ago"},
		{now.Add(-72 * time.Hour), "3 days ago"},
		{now.Add(-60 * 24 * time.Hour), "2026-01-13"},
	} {
		if got := ago(tc.at, now); got != tc.want {
			t.Errorf("ago(%s) = %q, want %q", tc.at, got, tc.want)
		}
	}
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{24*time.Hour - 50*time.Second, "in 23h 59m 10s"},
		{24 * time.Hour, "in 24h 0m 0s"},
		{7 * 24 * time.Hour, "in 7d 0h 0m 0s"},
		{90 * time.Second, "in 1m 30s"},
		{1500 * time.Millisecond, "in 1s"},
		{-time.Second, "now"},
	} {
		if got := until(now.Add(tc.d), now); got != tc.want {
			t.Errorf("until(+%s) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func tokenForTest(t testing.TB) model.Token {
	t.Helper()
	tok, err := model.GenerateToken(zeroReader{})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type zeroReader struct{}

func (zeroReader) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = 7
	}
	return len(b), nil
}
