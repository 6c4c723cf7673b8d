package bolt

import (
	"bytes"

	bbolt "go.etcd.io/bbolt"
)

// putInto is a bucket a write transaction puts into, and whether every put
// so far has appended to it: each key after the bucket's last one and
// after the one put before. A bucket a transaction only appended to is
// written with full pages. bbolt fills pages to half when it splits a
// node, which suits keys that arrive in random order; appended keys never
// go back to a page once it is full, so half of every page would stay
// empty for good. The audit log is appended to, and as a rule an
// import's display order (by time of creation). A bulk creation's ids
// ascend (storage.assignIDs) but are random, so its key records and
// active list are appended to only in the chunks whose ids all lie above
// the greatest id stored: above "Default" in a new database, and hardly
// ever in one that holds many keys, where they split half-full as usual.
type putInto struct {
	b         *bbolt.Bucket
	appending bool
	last      []byte // the greatest key, while appending
}

// putInto returns the bucket, created if need be.
func (w *writeTx) putInto(bucket string) (*putInto, error) {
	if into := w.buckets[bucket]; into != nil {
		return into, nil
	}
	b, err := w.tx.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return nil, err
	}
	last, _ := b.Cursor().Last()
	into := &putInto{b: b, appending: true, last: append([]byte(nil), last...)}
	w.buckets[bucket] = into
	return into, nil
}

// put notes that key is put next.
func (p *putInto) put(key []byte) {
	switch {
	case !p.appending:
	case len(p.last) > 0 && bytes.Compare(key, p.last) <= 0:
		p.appending, p.last = false, nil
		p.b.FillPercent = bbolt.DefaultFillPercent
	default:
		p.last = append(p.last[:0], key...)
		p.b.FillPercent = 1
	}
}
