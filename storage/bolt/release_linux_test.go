package bolt_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/keyrack/keyrack/internal/testkit"
	"github.com/keyrack/keyrack/storage/bolt"
	"github.com/keyrack/keyrack/storage/kv"
)

// After a read of the whole file the file's pages count in the process's
// resident memory; Release drops them, and the data reads back intact.
func TestReleaseDropsTheFilesResidentPages(t *testing.T) {
	b := openTemp(t, bolt.Options{})
	ctx := context.Background()
	value := put16MB(t, b)
	readAll := func() int {
		n := 0
		err := b.View(ctx, func(tx kv.ReadTx) error {
			return tx.Scan(kv.Range{Bucket: "b"}, false, func(_, v []byte) error {
				if len(v) == len(value) {
					n++
				}
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	readAll()
	before := testkit.MappedRSS(t, b.DB().Path())
	if before < 8<<20 {
		t.Fatalf("after reading 16 MB of records, %d kB of the file resident", before>>10)
	}
	if err := b.Release(); err != nil {
		t.Fatal(err)
	}
	if after := testkit.MappedRSS(t, b.DB().Path()); after > before/4 {
		t.Fatalf("after Release %d kB of the file resident, before %d kB", after>>10, before>>10)
	}
	if n := readAll(); n != 8000 {
		t.Fatalf("read back %d records, want 8000", n)
	}
}

// put16MB writes 8,000 records of 2,000 bytes into bucket b and returns
// their value.
func put16MB(t *testing.T, b *bolt.Backend) []byte {
	t.Helper()
	value := make([]byte, 2000)
	for chunk := range 8 {
		_, err := b.Update(context.Background(), func(tx kv.Tx) error {
			for i := range 1000 {
				if err := tx.Put("b", fmt.Appendf(nil, "%06d", chunk*1000+i), value); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return value
}

// The copy drops the file's pages it has read as it goes, and its commits
// do not read them again (the values are copied): in its last transaction,
// and after it, only a megabyte or so of the 16 MB file is resident, not
// the file, nor a transaction's share of it.
func TestCompactToKeepsTheFilesResidentPagesBounded(t *testing.T) {
	b := openTemp(t, bolt.Options{})
	put16MB(t, b)
	if err := b.Release(); err != nil {
		t.Fatal(err)
	}
	during := -1
	c, err := b.CompactTo(filepath.Join(t.TempDir(), "copy.db"), 8<<20, func([]byte) {
		during = testkit.MappedRSS(t, b.DB().Path())
	})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	after := testkit.MappedRSS(t, b.DB().Path())
	if during < 0 || during > 4<<20 || after > 4<<20 {
		t.Fatalf("resident of the 16 MB file: %d kB in the copy's last transaction, %d kB after its commit; want under 4 MB", during>>10, after>>10)
	}
}

// A write transaction drops the file's pages in its middle once more than
// the limit is resident (bulk work checks every few dozen keys), not
// before, and reads and writes after that still see the data.
func TestWriteTxReleasesTheFilesPagesMidwayOverALimit(t *testing.T) {
	b := openTemp(t, bolt.Options{})
	value := put16MB(t, b)
	_, err := b.Update(context.Background(), func(tx kv.Tx) error {
		read := 0
		scan := func() error {
			read = 0
			return tx.Scan(kv.Range{Bucket: "b"}, false, func(_, v []byte) error {
				if len(v) == len(value) {
					read++
				}
				return nil
			})
		}
		if err := scan(); err != nil {
			return err
		}
		release := tx.(interface{ ReleaseResidentOver(int64) error }).ReleaseResidentOver
		before := testkit.MappedRSS(t, b.DB().Path())
		if err := release(1 << 40); err != nil {
			return err
		}
		if kept := testkit.MappedRSS(t, b.DB().Path()); before < 8<<20 || kept < before*3/4 {
			t.Errorf("resident before %d kB, after a release over 1 TB %d kB: dropped under the limit", before>>10, kept>>10)
		}
		if err := release(4 << 20); err != nil { // the test binary's own pages alone are more
			return err
		}
		if after := testkit.MappedRSS(t, b.DB().Path()); after > before/4 {
			t.Errorf("resident before %d kB, after a release over 4 MB %d kB", before>>10, after>>10)
		}
		if err := tx.Put("b", []byte("new"), []byte("v")); err != nil {
			return err
		}
		if err := scan(); err != nil || read != 8000 {
			t.Errorf("read back %d records (%v), want 8000", read, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
