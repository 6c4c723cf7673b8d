package bolt

import (
	"syscall"

	bbolt "go.etcd.io/bbolt"
)

// adviceBytes bounds one request to the kernel: of a larger one it reads
// only its read-ahead window (the larger of the device's read_ahead_kb and
// max_sectors_kb, 128 KB by default) and drops the rest, so a long run of
// pages asked for in one request was mostly left unread.
const adviceBytes = 128 << 10

// willNeed asks the kernel to read the pages ids (sorted) of tx's file in
// as few requests as their layout allows: runs of pages, with gaps of up
// to maxGap pages read along, each asked for in requests of adviceBytes.
func willNeed(tx *bbolt.Tx, ids []int64) {
	const maxGap = 8
	psz := int64(tx.DB().Info().PageSize)
	data := tx.DB().Info().Data
	for i := 0; i < len(ids); {
		j := i + 1
		for j < len(ids) && ids[j]-ids[j-1] <= maxGap {
			j++
		}
		for from, to := ids[i]*psz, (ids[j-1]+1)*psz; from < to; from += adviceBytes {
			syscall.Syscall(syscall.SYS_MADVISE, data+uintptr(from), uintptr(min(to-from, adviceBytes)), syscall.MADV_WILLNEED)
		}
		i = j
	}
}
