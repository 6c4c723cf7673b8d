package bolt

import (
	"encoding/binary"
	"os"
	"slices"

	bbolt "go.etcd.io/bbolt"
)

// prefetch asks the kernel to read the pages of the buckets' B-trees in
// file order, so that a load of a file that is not in the page cache
// reads it in long requests, many at a time, instead of one page fault
// per page (at a million keys: 30 s of page faults). It walks the branch
// pages level by level, each level asked for before it is read, and asks
// for the leaves without reading them. Advice only: whatever fails, the
// load still reads every page itself.
func prefetch(tx *bbolt.Tx, path string, buckets []string) {
	walkPages(tx, path, buckets, func(ids []int64) { willNeed(tx, ids) })
}

// walkPages calls level with the sorted page ids of each level of the
// buckets' B-trees, root first, before it reads them from path, tx's file
// (not tx.DB().Path(): after a Swap that is the name the copy was made
// under).
func walkPages(tx *bbolt.Tx, path string, buckets []string, level func(ids []int64)) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	psz := int64(tx.DB().Info().PageSize)
	buf := make([]byte, psz)
	for _, name := range buckets {
		b := tx.Bucket([]byte(name))
		if b == nil || b.Root() == 0 { // an inline bucket lives in its parent's page
			continue
		}
		for ids := []int64{int64(b.Root())}; len(ids) > 0; {
			slices.Sort(ids)
			level(ids)
			ids = children(f, buf, ids, tx.Size()/psz)
		}
	}
}

// children reads the branch pages ids and returns their children; none
// when the pages are leaves (a B-tree's leaves are all at one depth) or
// cannot be read.
func children(f *os.File, buf []byte, ids []int64, pages int64) []int64 {
	psz := int64(len(buf))
	var next []int64
	for _, id := range ids {
		if _, err := f.ReadAt(buf, id*psz); err != nil || binary.NativeEndian.Uint16(buf[8:]) != branchPage {
			return nil
		}
		for i := range int64(binary.NativeEndian.Uint16(buf[10:])) {
			at := pageHeader + i*branchElement + 8
			if at+8 > psz {
				break
			}
			if child := int64(binary.NativeEndian.Uint64(buf[at:])); child > 1 && child < pages {
				next = append(next, child)
			}
		}
	}
	return next
}

// bbolt's page layout: a 16-byte header (id, flags at 8, count at 10),
// then a branch page's elements of 16 bytes, each ending with a child's id.
const (
	pageHeader    = 16
	branchElement = 16
	branchPage    = 0x01
)
