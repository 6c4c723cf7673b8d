// Package kv is the narrow transactional key-value interface that keyrack's
// domain operations are written against. Two backends implement it:
// storage/bolt (one bbolt file, the embedded default) and storage/etcd (a
// cluster). Records live in named buckets; keys are ordered bytes, so
// big-endian times and sequences scan in order.
package kv

import "context"

// Backend is a transactional, ordered key-value store with a change stream.
type Backend interface {
	// View runs fn in a read transaction: every read sees one revision.
	View(ctx context.Context, fn func(tx ReadTx) error) error
	// Update runs fn in a write transaction and commits it atomically,
	// returning the commit's revision. fn may run more than once (an
	// optimistic backend retries it on a conflict), so it must act only
	// through tx and assign its results rather than append to them. When
	// fn returns an error nothing is written and that error is returned.
	Update(ctx context.Context, fn func(tx Tx) error) (int64, error)
	// Load reads the given ranges at one revision, concurrently, and
	// returns that revision. fn is called in key order within a range, and
	// may be called from several goroutines at once for different ranges;
	// its key and value are valid only during the call.
	Load(ctx context.Context, ranges []Range, fn func(i int, key, value []byte) error) (int64, error)
	// Changes streams, in commit order, every commit after revision after.
	// When those commits are no longer known the stream's Next returns
	// ErrCompacted: load again and stream from the new revision. ctx
	// bounds the opening only; the stream lasts until its Close or the
	// backend's.
	Changes(ctx context.Context, after int64) (Stream, error)
	// Campaign blocks until this process leads the election name (or ctx
	// ends). Writes fenced by the leader's Fence fail once it has lost.
	Campaign(ctx context.Context, name string) (Leader, error)
	// Limits says how much one write transaction may hold.
	Limits() Limits
	// Close releases the backend; streams end with ErrClosed.
	Close() error
}

// ReadTx reads at one revision. Byte slices it returns are valid until the
// transaction ends; copy what must outlive it.
type ReadTx interface {
	// Revision is the revision every read of the transaction sees.
	Revision() (int64, error)
	// Get returns the value of key in bucket, or nil when there is none.
	Get(bucket string, key []byte) ([]byte, error)
	// Scan calls fn for each record of r in ascending key order (descending
	// when reverse is set). fn returns ErrStop to end the scan early.
	Scan(r Range, reverse bool, fn func(key, value []byte) error) error
	// Sequence returns the bucket's last sequence number (0 if never used).
	Sequence(bucket string) (uint64, error)
}

// Tx is a write transaction. Its reads see its own writes.
type Tx interface {
	ReadTx
	// Put writes value under key. A nil or empty value is stored as empty.
	Put(bucket string, key, value []byte) error
	// Delete removes key; deleting a missing key is not an error.
	Delete(bucket string, key []byte) error
	// NextSequence returns the bucket's next sequence number (1, 2, …),
	// persisted with the commit.
	NextSequence(bucket string) (uint64, error)
	// SetSequence sets the bucket's last sequence number (a copy keeps it).
	SetSequence(bucket string, n uint64) error
	// Fence makes the commit also require that f still holds (its leader
	// has not lost the election); otherwise Update returns ErrFenced.
	Fence(f Fence)
	// Usage says how much the transaction holds so far, so that bulk work
	// can stop adding to it before it exceeds Limits.
	Usage() Usage
}

// Range is the part of a bucket with From ≤ key < To. A nil From starts at
// the bucket's first key; a nil To runs to its end.
type Range struct {
	Bucket   string
	From, To []byte
}

// Prefix is the range of keys of bucket that start with p.
func Prefix(bucket string, p []byte) Range {
	return Range{Bucket: bucket, From: p, To: PrefixEnd(p)}
}

// PrefixEnd is the first key after every key starting with p, or nil when
// there is none (p is empty or all 0xff).
func PrefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// Limits bound one write transaction; zero means no limit.
type Limits struct {
	Ops   int // writes, and separately recorded reads, per transaction
	Bytes int // bytes of keys and values written per transaction
}

// Usage is what a write transaction holds.
type Usage struct {
	Ops   int // distinct keys written
	Reads int // reads the commit must compare (optimistic backends)
	Bytes int // bytes of keys and values written
}

// Fits reports whether u stays within l.
func (l Limits) Fits(u Usage) bool {
	return (l.Ops == 0 || (u.Ops <= l.Ops && u.Reads <= l.Ops)) && (l.Bytes == 0 || u.Bytes <= l.Bytes)
}
