package bolt

import (
	"syscall"

	bbolt "go.etcd.io/bbolt"
)

// willNeed asks the kernel to read the pages ids (sorted) of tx's file in
// as few requests as their layout allows: runs of pages, with gaps of up
// to maxGap pages read along.
func willNeed(tx *bbolt.Tx, ids []int64) {
	const maxGap = 8
	psz := int64(tx.DB().Info().PageSize)
	data := tx.DB().Info().Data
	for i := 0; i < len(ids); {
		j := i + 1
		for j < len(ids) && ids[j]-ids[j-1] <= maxGap {
			j++
		}
		from, to := ids[i]*psz, (ids[j-1]+1)*psz
		syscall.Syscall(syscall.SYS_MADVISE, data+uintptr(from), uintptr(to-from), syscall.MADV_WILLNEED)
		i = j
	}
}
