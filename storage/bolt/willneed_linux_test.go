package bolt

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/keyrack/keyrack/internal/testkit"
	bbolt "go.etcd.io/bbolt"
)

// residentPages counts the pages of the file at path in the page cache.
func residentPages(t *testing.T, path string) (resident, total int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	m, err := syscall.Mmap(int(f.Fd()), 0, int(info.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(m)
	vec := make([]byte, (len(m)+os.Getpagesize()-1)/os.Getpagesize())
	if _, _, errno := syscall.Syscall(syscall.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		t.Fatal(errno)
	}
	for _, v := range vec {
		resident += int(v & 1)
	}
	return resident, len(vec)
}

// willNeed has a long run of pages read, out of the page cache: every page
// is in memory soon after, though nothing read them.
func TestWillNeedReadsALongRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "long.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	value := make([]byte, 3000)
	for chunk := range 8 { // 48 MB of leaves, written in order: one long run
		err := db.Update(func(tx *bbolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists([]byte("b"))
			if err != nil {
				return err
			}
			for i := range 2000 {
				if err := b.Put([]byte{byte(chunk), byte(i >> 8), byte(i)}, value); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const fadvDontNeed = 4
	if _, _, errno := syscall.Syscall6(syscall.SYS_FADVISE64, f.Fd(), 0, 0, fadvDontNeed, 0, 0); errno != 0 {
		t.Fatal(errno)
	}
	if resident, total := residentPages(t, path); resident > total/4 {
		t.Skipf("the file stays in memory (%d of %d pages): a filesystem without a page cache to evict", resident, total)
	}
	db.View(func(tx *bbolt.Tx) error {
		var ids []int64
		for id := range tx.Size() / int64(os.Getpagesize()) {
			ids = append(ids, id)
		}
		willNeed(tx, ids)
		return nil
	})
	testkit.Eventually(t, 20*time.Second, "the file's pages read ahead", func() bool {
		resident, total := residentPages(t, path)
		return resident > total*9/10
	})
}
