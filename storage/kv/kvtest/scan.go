package kvtest

import (
	"context"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/keyrack/keyrack/storage/kv"
)

func be(n uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return string(b[:])
}

func testScanOrderAndBounds(t *testing.T, b kv.Backend) {
	// Big-endian numbers, including bytes 0x00 and 0xff, sort as numbers.
	nums := []uint64{0xff00, 1, 0x0100, 0xffffffffffffffff, 0, 255}
	var pairs []string
	for _, n := range nums {
		pairs = append(pairs, be(n), "v")
	}
	put(t, b, "seq", pairs...)
	put(t, b, "ids", "ab1", "1", "ab2", "2", "abc", "3", "b", "4", "a", "5")
	put(t, b, "other", "aa", "x")

	var order []uint64
	err := b.View(context.Background(), func(tx kv.ReadTx) error {
		return tx.Scan(kv.Range{Bucket: "seq"}, false, func(k, _ []byte) error {
			order = append(order, binary.BigEndian.Uint64(k))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint64{0, 1, 255, 0x0100, 0xff00, 0xffffffffffffffff}; !slices.Equal(order, want) {
		t.Fatalf("big-endian scan = %x, want %x", order, want)
	}

	cases := []struct {
		name    string
		r       kv.Range
		reverse bool
		want    []string
	}{
		{"whole bucket", kv.Range{Bucket: "ids"}, false, []string{"a=5", "ab1=1", "ab2=2", "abc=3", "b=4"}},
		{"whole bucket reversed", kv.Range{Bucket: "ids"}, true, []string{"b=4", "abc=3", "ab2=2", "ab1=1", "a=5"}},
		{"from a seek key", kv.Range{Bucket: "ids", From: []byte("ab2")}, false, []string{"ab2=2", "abc=3", "b=4"}},
		{"from between keys", kv.Range{Bucket: "ids", From: []byte("ab15")}, false, []string{"ab2=2", "abc=3", "b=4"}},
		{"to is exclusive", kv.Range{Bucket: "ids", To: []byte("ab2")}, false, []string{"a=5", "ab1=1"}},
		{"reverse below to", kv.Range{Bucket: "ids", To: []byte("ab2")}, true, []string{"ab1=1", "a=5"}},
		{"reverse below a missing to", kv.Range{Bucket: "ids", To: []byte("ab3")}, true, []string{"ab2=2", "ab1=1", "a=5"}},
		{"reverse within bounds", kv.Range{Bucket: "ids", From: []byte("ab1"), To: []byte("b")}, true, []string{"abc=3", "ab2=2", "ab1=1"}},
		{"prefix", kv.Prefix("ids", []byte("ab")), false, []string{"ab1=1", "ab2=2", "abc=3"}},
		{"empty range", kv.Range{Bucket: "ids", From: []byte("c")}, false, nil},
		{"unused bucket", kv.Range{Bucket: "none"}, false, nil},
	}
	for _, c := range cases {
		if got := scanAll(t, b, c.r, c.reverse); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}

	var seen []string
	err = b.View(context.Background(), func(tx kv.ReadTx) error {
		return tx.Scan(kv.Range{Bucket: "ids"}, true, func(k, _ []byte) error {
			seen = append(seen, string(k))
			if len(seen) == 2 {
				return kv.ErrStop
			}
			return nil
		})
	})
	if err != nil || !slices.Equal(seen, []string{"b", "abc"}) {
		t.Fatalf("ErrStop after two keys: %v, %v", seen, err)
	}
}
