package api

import (
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

// BenchmarkUsageCount compares what a request costs the in-memory
// bookkeeping: "mark" is the "last used" mark alone (what verify did
// before usage was counted), "record" the mark and the usage count.
func BenchmarkUsageCount(b *testing.B) {
	at := time.Date(2026, 11, 26, 12, 30, 0, 0, time.UTC)
	q := question{resource: 6, mode: model.Write, mapped: true, tracksLastUsed: true}
	b.Run("mark", func(b *testing.B) {
		l := newLastUsed()
		b.ReportAllocs()
		for b.Loop() {
			l.mark("abcdefghijkl", at)
		}
	})
	b.Run("record", func(b *testing.B) {
		l := newLastUsed()
		b.ReportAllocs()
		for b.Loop() {
			l.record("abcdefghijkl", at, q, true)
		}
	})
}
