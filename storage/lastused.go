package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"github.com/keyrack/keyrack/storage/kv"
)

// bucketLastUsed holds when each node's /auth last saw each key: id ‖ 0 ‖
// node → big-endian unix nanoseconds. A node writes only its own entries,
// so the flushes of several nodes never conflict and never rewrite a key's
// record; readers take the newest entry (or the record's own time, from
// before the entries existed).
var bucketLastUsed = []byte("lastused")

// LocalNode names the only node of a bbolt database.
const LocalNode = "local"

func lastUseKey(id, node string) []byte {
	return append(append([]byte(id), 0), node...)
}

func lastUseTime(v []byte) time.Time {
	if len(v) != 8 {
		return time.Time{}
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(v))).UTC()
}

// RecordLastUsed writes this node's "last used" times, in transactions
// sized to the backend's limits. Keys deleted or expired meanwhile are
// skipped (each transaction reads the key, which etcd compares); an older
// time never replaces a newer one.
func (s *Store) RecordLastUsed(used map[string]time.Time) error {
	ids := make([]string, 0, len(used))
	for id := range used {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	err := s.chunked(len(ids), func(w *wtx, i int) error { return w.noteUse(ids[i], used[ids[i]]) })
	if err != nil {
		return fmt.Errorf("record last used: %w", err)
	}
	return nil
}

// noteUse records that this node saw key id at at.
func (w *wtx) noteUse(id string, at time.Time) error {
	var rec keyRecord
	found, err := getRecord(w.tx, bucketKeys, []byte(id), &rec)
	if err != nil || !found {
		return err
	}
	if err := newestUse(w.tx, &rec); err != nil || !rec.LastUsedAt.Before(at) {
		return err
	}
	rec.LastUsedAt = at
	return w.tx.Put(string(bucketLastUsed), lastUseKey(id, w.s.node), binary.BigEndian.AppendUint64(nil, uint64(at.UnixNano()))) // the caches learn of it from the change stream
}

// newestUse sets rec's last use to the newest of its own and every node's.
func newestUse(tx kv.ReadTx, rec *keyRecord) error {
	return tx.Scan(kv.Prefix(string(bucketLastUsed), lastUseKey(rec.ID, "")), false, func(_, v []byte) error {
		if at := lastUseTime(v); at.After(rec.LastUsedAt) {
			rec.LastUsedAt = at
		}
		return nil
	})
}

// noteUse brings the loaded entry of a last-use record's key up to its
// time, before the index is published.
func (x keyIndex) noteUse(k, v []byte) {
	id, _, _ := bytes.Cut(k, []byte{0})
	if e, ok := x.lookup(string(id)); ok && nanos(lastUseTime(v)) > e.used {
		e.used = nanos(lastUseTime(v))
	}
}

// dropTraffic removes what /auth recorded of key id, with the key: every
// node's last use, and its usage hours — at once where a transaction has
// no limit (bbolt), else in chunks in the next scheduler pass
// (sweepUsage): a busy key's 720 hours exceed etcd's 128 operations.
func (w *wtx) dropTraffic(id string) error {
	var gone [][2][]byte // bucket, key
	collect := func(bucket []byte) func(k, _ []byte) error {
		return func(k, _ []byte) error {
			gone = append(gone, [2][]byte{bucket, bytes.Clone(k)})
			return nil
		}
	}
	err := w.tx.Scan(kv.Prefix(string(bucketLastUsed), lastUseKey(id, "")), false, collect(bucketLastUsed))
	switch {
	case err != nil:
		return err
	case w.s.kv.Limits() == kv.Limits{}:
		err = scanUsage(w.tx, id, time.Time{}, time.Time{}, collect(bucketUsage))
	default:
		err = w.tx.Put(string(bucketUsageGone), []byte(id), nil)
	}
	for _, g := range gone {
		if err != nil {
			break
		}
		err = w.tx.Delete(string(g[0]), g[1])
	}
	return err
}
