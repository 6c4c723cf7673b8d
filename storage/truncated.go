package storage

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"
)

// Offsets in a bbolt meta page (a 16-byte page header, then the meta).
const (
	metaMagic       = 0xED0CDAED
	metaOffMagic    = 16
	metaOffPageSize = 24
	metaOffPgid     = 56
	metaOffTxid     = 64
	metaOffChecksum = 72
)

// truncation reads the newest valid meta page of the file at path and says
// whether the file is shorter than the pages it claims: bbolt would fault
// on the missing pages before it could say so. It returns "" when the file
// is long enough or its meta pages cannot be trusted (bbolt then reports).
func truncation(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return ""
	}
	var need, txid uint64
	for _, at := range []int64{0, 4096, 8192, 16384, 65536} { // meta 1 sits one page in
		buf := make([]byte, metaOffChecksum+8)
		if _, err := f.ReadAt(buf, at); err != nil {
			continue
		}
		le := binary.LittleEndian
		h := fnv.New64a()
		h.Write(buf[metaOffMagic:metaOffChecksum])
		if le.Uint32(buf[metaOffMagic:]) != metaMagic || le.Uint64(buf[metaOffChecksum:]) != h.Sum64() {
			continue
		}
		if t := le.Uint64(buf[metaOffTxid:]); t >= txid {
			txid, need = t, le.Uint64(buf[metaOffPgid:])*uint64(le.Uint32(buf[metaOffPageSize:]))
		}
	}
	if need > uint64(info.Size()) {
		return fmt.Sprintf("the file is truncated: it has %d bytes, its pages need %d", info.Size(), need)
	}
	return ""
}
