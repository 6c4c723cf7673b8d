package storage

import (
	"bufio"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/keyrack/keyrack/model"
)

// spoolBlock is how many keys one sealed block of a spool holds, and
// spoolBuffer how much of a spool's file is buffered when writing or
// reading it (an import has spoolGroups of them).
const (
	spoolBlock  = 1024
	spoolBuffer = 64 << 10
)

// spool holds an import's checked keys between its check and its chunks,
// on disk rather than in memory: the check reads the input once (standard
// input cannot be read twice) and the chunks read the spool. Nothing in it
// is readable without a key that lives only in this process: its blocks
// are sealed with AES-256-GCM under a key drawn for this spool alone, and
// the file is unlinked as soon as it is created (mode 0600), so that no
// path leads to it and the system frees it when it is closed, also when
// the process dies. A crash can leave at most an empty file of that name
// (between creating and unlinking it), never a key; the next Open removes
// it (sweepSpools).
type spool struct {
	f       *os.File
	aead    cipher.AEAD
	w       *bufio.Writer
	r       io.Reader
	plain   []byte // the block being encoded, or the one being read
	inPlain int    // keys in plain, when writing
	sealed  uint64 // blocks sealed so far: the next block's nonce
	opened  uint64 // blocks opened so far
	count   int    // keys added
	buf     []byte // a sealed block read back
}

// spoolPattern names a spool file, in the database's directory (os.TempDir
// on etcd) while it is being created.
const spoolPattern = ".keyrack-import-*"

// newSpool creates an empty spool in dir, its key drawn from rand.
func newSpool(dir string, rand io.Reader) (*spool, error) {
	key := make([]byte, 32)
	if _, err := io.ReadFull(rand, key); err != nil {
		return nil, fmt.Errorf("spool key: %w", err)
	}
	sealed, err := newSealer(key, rand) // AES-256-GCM, as the database's secrets
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, spoolPattern)
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	if err := unlinkSpool(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("spool: %w", err)
	}
	return &spool{f: f, aead: sealed.aead, w: bufio.NewWriterSize(f, spoolBuffer)}, nil
}

// add appends a key.
func (sp *spool) add(nk NewKey) error {
	sp.plain = appendSpooled(sp.plain, nk)
	sp.count++
	if sp.inPlain++; sp.inPlain == spoolBlock {
		return sp.seal()
	}
	return nil
}

// seal writes the block being encoded: its length, then it sealed.
func (sp *spool) seal() error {
	if sp.inPlain == 0 {
		return nil
	}
	out := binary.BigEndian.AppendUint32(nil, uint32(len(sp.plain)+sp.aead.Overhead()))
	out = sp.aead.Seal(out, sp.nonce(sp.sealed), sp.plain, nil)
	sp.sealed++
	sp.plain, sp.inPlain = sp.plain[:0], 0
	if _, err := sp.w.Write(out); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	return nil
}

// nonce is block i's: the spool's key seals nothing else, so a counter
// never repeats one.
func (sp *spool) nonce(i uint64) []byte {
	n := make([]byte, sp.aead.NonceSize())
	binary.BigEndian.PutUint64(n[len(n)-8:], i)
	return n
}

// rewind ends writing and starts reading from the first key.
func (sp *spool) rewind() error {
	if err := sp.seal(); err != nil {
		return err
	}
	if err := sp.w.Flush(); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	sp.w, sp.r, sp.plain = nil, bufio.NewReaderSize(sp.f, spoolBuffer), nil
	return nil
}

// next returns the next key, or io.EOF after the last.
func (sp *spool) next() (NewKey, error) {
	if len(sp.plain) == 0 {
		if err := sp.open(); err != nil {
			return NewKey{}, err
		}
	}
	nk, rest, err := readSpooled(sp.plain)
	if err != nil {
		return NewKey{}, fmt.Errorf("spool block %d: %w", sp.opened-1, err)
	}
	sp.plain = rest
	return nk, nil
}

// open reads and opens the next sealed block into plain.
func (sp *spool) open() error {
	var size [4]byte
	if _, err := io.ReadFull(sp.r, size[:]); err != nil {
		if err == io.EOF {
			return io.EOF
		}
		return fmt.Errorf("spool: %w", err)
	}
	n := int(binary.BigEndian.Uint32(size[:]))
	if cap(sp.buf) < n {
		sp.buf = make([]byte, n)
	}
	sp.buf = sp.buf[:n]
	if _, err := io.ReadFull(sp.r, sp.buf); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	plain, err := sp.aead.Open(sp.buf[:0], sp.nonce(sp.opened), sp.buf, nil)
	if err != nil {
		return fmt.Errorf("spool block %d does not open: %w", sp.opened, err)
	}
	sp.opened++
	sp.plain = plain
	return nil
}

// close closes the file, which frees it (it has no name).
func (sp *spool) close() { sp.f.Close() }

// The flags of a spooled key: which of its optional parts follow.
const (
	spoolToken = 1 << iota
	spoolCreated
	spoolLastUsed
	spoolExpires
)

// appendSpooled encodes a checked key: its line, name, permissions, token
// and times. Its ID and Lifetime are not kept: bulk creation gives the ID,
// and the check turned the Lifetime into ExpiresAt.
func appendSpooled(b []byte, nk NewKey) []byte {
	times := []time.Time{nk.CreatedAt, nk.LastUsedAt, nk.ExpiresAt}
	flags := byte(0)
	if !nk.Token.IsZero() {
		flags |= spoolToken
	}
	for i, t := range times {
		if !t.IsZero() {
			flags |= spoolCreated << i
		}
	}
	b = binary.AppendUvarint(b, uint64(nk.Line))
	b = append(b, flags)
	b = binary.AppendUvarint(b, uint64(len(nk.Name)))
	b = append(b, nk.Name...)
	for _, a := range nk.Permissions {
		b = append(b, byte(a))
	}
	if flags&spoolToken != 0 {
		tok := nk.Token.Reveal()
		b = binary.AppendUvarint(b, uint64(len(tok)))
		b = append(b, tok...)
	}
	for _, t := range times {
		if !t.IsZero() {
			b = binary.AppendVarint(b, t.Unix())
			b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
		}
	}
	return b
}

var errSpooled = errors.New("a spooled key does not decode")

// readSpooled decodes the key appendSpooled encoded at the start of b.
func readSpooled(b []byte) (NewKey, []byte, error) {
	var nk NewKey
	d := spoolDecoder{b: b, ok: true}
	nk.Line = int(d.uvarint())
	flags := d.byte()
	nk.Name = string(d.bytes(int(d.uvarint())))
	for i, a := range d.bytes(len(nk.Permissions)) {
		nk.Permissions[i] = model.Access(a)
	}
	if flags&spoolToken != 0 {
		tok := d.bytes(int(d.uvarint()))
		if d.ok {
			var err error
			if nk.Token, err = model.ParseCredential(string(tok)); err != nil {
				return nk, nil, errSpooled
			}
		}
	}
	for i, t := range []*time.Time{&nk.CreatedAt, &nk.LastUsedAt, &nk.ExpiresAt} {
		if flags&(spoolCreated<<i) != 0 {
			sec := d.varint()
			*t = time.Unix(sec, int64(d.uvarint())).UTC()
		}
	}
	if !d.ok {
		return nk, nil, errSpooled
	}
	return nk, d.b, nil
}

// spoolDecoder reads a spooled key; ok turns false, for good, when b ends
// too soon.
type spoolDecoder struct {
	b  []byte
	ok bool
}

func (d *spoolDecoder) uvarint() uint64 { return varint(d, binary.Uvarint) }

func (d *spoolDecoder) varint() int64 { return varint(d, binary.Varint) }

// varint reads a number with read (binary.Uvarint or binary.Varint).
func varint[T uint64 | int64](d *spoolDecoder, read func([]byte) (T, int)) T {
	v, n := read(d.b)
	if n <= 0 {
		d.b, d.ok = nil, false
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *spoolDecoder) byte() byte {
	if v := d.bytes(1); v != nil {
		return v[0]
	}
	return 0
}

func (d *spoolDecoder) bytes(n int) []byte {
	if n < 0 || n > len(d.b) {
		d.b, d.ok = nil, false
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}
