package bolt

import (
	"fmt"
	"path/filepath"
	"testing"

	bbolt "go.etcd.io/bbolt"
)

// The read-ahead of a load asks for every page of the buckets' B-trees,
// level by level, the branch pages before the leaves, and no other page.
func TestWalkPagesFindsEveryPageOfTheBuckets(t *testing.T) {
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "walk.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	value := make([]byte, 300)
	for chunk := range 10 {
		err := db.Update(func(tx *bbolt.Tx) error {
			big, err := tx.CreateBucketIfNotExists([]byte("big"))
			if err != nil {
				return err
			}
			for i := range 3000 {
				if err := big.Put(fmt.Appendf(nil, "%08d", i*10+chunk), value); err != nil {
					return err
				}
			}
			small, err := tx.CreateBucketIfNotExists([]byte("small")) // inline: no page of its own
			if err != nil {
				return err
			}
			return small.Put([]byte("k"), []byte("v"))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	err = db.View(func(tx *bbolt.Tx) error {
		var levels [][]int64
		walkPages(tx, tx.DB().Path(), []string{"small", "big", "missing"}, func(ids []int64) { levels = append(levels, ids) })
		st := tx.Bucket([]byte("big")).Stats()
		if len(levels) != st.Depth || st.Depth < 3 {
			t.Fatalf("%d levels, the bucket is %d deep", len(levels), st.Depth)
		}
		seen := map[int64]bool{}
		for depth, ids := range levels {
			want := "branch"
			if depth == len(levels)-1 {
				want = "leaf"
			}
			for i, id := range ids {
				p, err := tx.Page(int(id))
				if err != nil || p.Type != want || seen[id] || (i > 0 && ids[i-1] >= id) {
					t.Fatalf("level %d: page %d is %+v (%v), want a %s page, once, in file order", depth, id, p, err, want)
				}
				seen[id] = true
			}
		}
		if len(seen) != st.BranchPageN+st.LeafPageN {
			t.Fatalf("%d pages asked for, the bucket has %d branch and %d leaf pages", len(seen), st.BranchPageN, st.LeafPageN)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
