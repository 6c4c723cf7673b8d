package etcd_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/keyrack/keyrack/storage/etcd"
	"github.com/keyrack/keyrack/storage/kv"
)

// recordKey spells out the layout: <prefix>/d/<bucket>/<key>.
func recordKey(prefix, bucket, key string) string {
	return prefix + "/d/" + bucket + "/" + key
}

// interfere runs, between a transaction's first attempt and its commit, a
// write by another client; the commit must then fail and fn run again.
func TestUpdateRetriesWhenWhatItReadChanged(t *testing.T) {
	cases := []struct {
		name  string
		setup []string // keys of bucket "b" before
		read  func(tx kv.Tx) error
		other func(ctx context.Context, b *etcd.Backend, prefix string) error
	}{
		{"a key read was changed", []string{"k"},
			func(tx kv.Tx) error { _, err := tx.Get("b", []byte("k")); return err },
			func(ctx context.Context, b *etcd.Backend, p string) error {
				_, err := b.Client().Put(ctx, recordKey(p, "b", "k"), "other")
				return err
			}},
		{"a key read as missing was created", nil,
			func(tx kv.Tx) error { _, err := tx.Get("b", []byte("k")); return err },
			func(ctx context.Context, b *etcd.Backend, p string) error {
				_, err := b.Client().Put(ctx, recordKey(p, "b", "k"), "other")
				return err
			}},
		{"a scanned range gained a key", []string{"a", "c"},
			func(tx kv.Tx) error {
				return tx.Scan(kv.Range{Bucket: "b"}, false, func(_, _ []byte) error { return nil })
			},
			func(ctx context.Context, b *etcd.Backend, p string) error {
				_, err := b.Client().Put(ctx, recordKey(p, "b", "b"), "")
				return err
			}},
		{"a scanned range lost a key", []string{"a", "c"},
			func(tx kv.Tx) error {
				return tx.Scan(kv.Range{Bucket: "b"}, false, func(_, _ []byte) error { return nil })
			},
			func(ctx context.Context, b *etcd.Backend, p string) error {
				// As another keyrack node deletes: with its bucket's deletion mark.
				_, err := b.Update(ctx, func(tx kv.Tx) error { return tx.Delete("b", []byte("c")) })
				return err
			}},
		{"a sequence moved on", nil,
			func(tx kv.Tx) error { _, err := tx.NextSequence("b"); return err },
			func(ctx context.Context, b *etcd.Backend, p string) error {
				_, err := b.Update(ctx, func(tx kv.Tx) error { _, err := tx.NextSequence("b"); return err })
				return err
			}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prefix := fmt.Sprintf("/conflict%d-%d", os.Getpid(), i)
			b := open(t, etcd.Options{Prefix: prefix})
			ctx := context.Background()
			for _, k := range c.setup {
				if _, err := b.Update(ctx, func(tx kv.Tx) error { return tx.Put("b", []byte(k), nil) }); err != nil {
					t.Fatal(err)
				}
			}
			attempts := 0
			_, err := b.Update(ctx, func(tx kv.Tx) error {
				attempts++
				if err := c.read(tx); err != nil {
					return err
				}
				if attempts == 1 {
					if err := c.other(ctx, b, prefix); err != nil {
						return err
					}
				}
				return tx.Put("out", []byte("x"), []byte(fmt.Sprint(attempts)))
			})
			if err != nil {
				t.Fatal(err)
			}
			if attempts != 2 {
				t.Fatalf("fn ran %d times, want 2: the conflicting commit went unnoticed", attempts)
			}
		})
	}
}

func TestUpdateUnaffectedByWritesElsewhere(t *testing.T) {
	b := open(t, etcd.Options{Prefix: fmt.Sprintf("/elsewhere%d", os.Getpid())})
	ctx := context.Background()
	attempts := 0
	_, err := b.Update(ctx, func(tx kv.Tx) error {
		attempts++
		if err := tx.Scan(kv.Range{Bucket: "b", To: []byte("m")}, false, func(_, _ []byte) error { return nil }); err != nil {
			return err
		}
		if attempts == 1 {
			if _, err := b.Client().Put(ctx, recordKey(fmt.Sprintf("/elsewhere%d", os.Getpid()), "b", "z"), ""); err != nil {
				return err
			}
		}
		return tx.Put("b", []byte("a"), nil)
	})
	if err != nil || attempts != 1 {
		t.Fatalf("a write outside the scanned range forced a retry: %d attempts, %v", attempts, err)
	}
}

func TestTooManyComparisonsRefused(t *testing.T) {
	b := open(t, etcd.Options{Limits: kv.Limits{Ops: 4, Bytes: 1 << 20}})
	_, err := b.Update(context.Background(), func(tx kv.Tx) error {
		for i := range 5 {
			if _, err := tx.Get("b", []byte(fmt.Sprint(i))); err != nil {
				return err
			}
		}
		return tx.Put("b", []byte("x"), nil)
	})
	if !errors.Is(err, kv.ErrTooLarge) {
		t.Fatalf("5 comparisons with a limit of 4: %v, want ErrTooLarge", err)
	}
}
