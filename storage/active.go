package storage

import (
	"github.com/keyrack/keyrack/storage/kv"
)

// scanPage is how many index entries one read transaction of a bulk
// operation's listing reads: the listing never holds a transaction long.
const scanPage = 10000

// activeIDs lists the ids of the active keys in display order and counts
// the expiring ones. It reads two small indexes (expiring ids, then the
// display order) a page per read transaction, never the key records.
func (s *Store) activeIDs() ([]string, int, error) {
	expiring := map[string]bool{}
	err := s.scanPages(bucketExpiring, func(id, _ []byte) { expiring[string(id)] = true })
	if err != nil {
		return nil, 0, err
	}
	var ids []string
	err = s.scanPages(bucketOrder, func(_, id []byte) {
		if !expiring[string(id)] {
			ids = append(ids, string(id))
		}
	})
	return ids, len(expiring), err
}

// scanPages calls fn for every entry of bucket in key order, scanPage
// entries per read transaction. Entries written meanwhile may or may not
// be seen; none is seen twice. The file's pages it read are dropped from
// resident memory after every transaction: a bucket's pages lie scattered
// over a file that bulk work has rewritten, and the kernel maps the pages
// around each one read as well, so that the scan of the order at the start
// of a rotation of a million keys had 965 MB of the file in serve's RSS.
func (s *Store) scanPages(bucket []byte, fn func(k, v []byte)) error {
	var from []byte
	for {
		more := false
		err := s.read(func(tx kv.ReadTx) error {
			n := 0
			return tx.Scan(kv.Range{Bucket: string(bucket), From: from}, false, func(k, v []byte) error {
				if n == scanPage {
					from, more = append([]byte(nil), k...), true
					return kv.ErrStop
				}
				n++
				fn(k, v)
				return nil
			})
		})
		_ = s.ReleaseResident() // failing to costs memory, not correctness
		if err != nil || !more {
			return err
		}
	}
}
