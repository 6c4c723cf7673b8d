package storage

import (
	"fmt"
	"testing"
	"time"

	"github.com/keyrack/keyrack/model"
)

// seed builds a store with n keys in batched transactions and returns a
// token of one of them. With expiring set, every key but the Default one is
// rotated with a distinct delay, so the expiry index holds n entries.
func seed(b *testing.B, n int, expiring bool) (*Store, model.Token) {
	b.Helper()
	s, _ := openTest(b)
	start := time.Now()
	var last model.Token
	for done := 0; done < n; {
		batch := min(5000, n-done)
		names := make([]string, batch)
		for i := range names {
			names[i] = fmt.Sprintf("key %d", done+i)
		}
		keys, toks, err := s.CreateMany("bench", names, model.AllPermissions())
		if err != nil {
			b.Fatal(err)
		}
		if expiring {
			if err := s.update(func(w *wtx) error {
				for i, k := range keys {
					var rec keyRecord
					if _, err := getRecord(w.tx, bucketKeys, []byte(k.ID), &rec); err != nil {
						return err
					}
					rec.ExpiresAt = t0.Add(time.Hour + time.Duration(done+i)*time.Second)
					if err := w.putKey(rec); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
		last = toks[len(toks)-1]
		done += batch
	}
	if n >= 10000 {
		b.Logf("built %d keys in %s", n, time.Since(start).Round(time.Millisecond))
	}
	return s, last
}

func benchAuthenticate(b *testing.B, n int) {
	s, tok := seed(b, n, false)
	if _, err := s.Authenticate(tok, t0); err != nil { // loads the cache
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Authenticate(tok, t0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAuthenticate10(b *testing.B)     { benchAuthenticate(b, 10) }
func BenchmarkAuthenticate100000(b *testing.B) { benchAuthenticate(b, 100000) }

func benchNextExpiry(b *testing.B, n int) {
	s, _ := seed(b, n, true)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok, err := s.NextExpiry(); !ok || err != nil {
			b.Fatal("no expiry", err)
		}
	}
}

func BenchmarkNextExpiry100(b *testing.B)    { benchNextExpiry(b, 100) }
func BenchmarkNextExpiry100000(b *testing.B) { benchNextExpiry(b, 100000) }

func BenchmarkBuild100000Keys(b *testing.B) {
	for i := 0; i < b.N; i++ {
		seed(b, 100000, false)
	}
}
