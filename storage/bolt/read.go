package bolt

import (
	"bytes"
	"errors"

	"github.com/keyrack/keyrack/storage/kv"
	bbolt "go.etcd.io/bbolt"
)

// readTx is a kv.ReadTx on a bbolt transaction.
type readTx struct {
	tx     *bbolt.Tx
	offset int64 // the Backend's revision offset
}

// Revision is bbolt's transaction id of the last commit this one sees.
func (r *readTx) Revision() (int64, error) {
	id := r.offset + int64(r.tx.ID())
	if r.tx.Writable() {
		id-- // a write transaction carries the id it will commit as
	}
	return id, nil
}

func (r *readTx) Get(bucket string, key []byte) ([]byte, error) {
	b := r.tx.Bucket([]byte(bucket))
	if b == nil {
		return nil, nil
	}
	return b.Get(key), nil
}

func (r *readTx) Sequence(bucket string) (uint64, error) {
	if b := r.tx.Bucket([]byte(bucket)); b != nil {
		return b.Sequence(), nil
	}
	return 0, nil
}

func (r *readTx) Scan(rg kv.Range, reverse bool, fn func(key, value []byte) error) error {
	b := r.tx.Bucket([]byte(rg.Bucket))
	if b == nil {
		return nil
	}
	err := scan(b.Cursor(), rg, reverse, func(k, v []byte) error {
		if v == nil {
			v = []byte{} // an empty value written in this transaction
		}
		return fn(k, v)
	})
	if errors.Is(err, kv.ErrStop) {
		return nil
	}
	return err
}

// scan walks a cursor over rg in either direction.
func scan(c *bbolt.Cursor, rg kv.Range, reverse bool, fn func(k, v []byte) error) error {
	inRange := func(k []byte) bool {
		return k != nil && (rg.From == nil || bytes.Compare(k, rg.From) >= 0) && (rg.To == nil || bytes.Compare(k, rg.To) < 0)
	}
	var k, v []byte
	switch {
	case !reverse && rg.From == nil:
		k, v = c.First()
	case !reverse:
		k, v = c.Seek(rg.From)
	case rg.To == nil:
		k, v = c.Last()
	default:
		if k, _ = c.Seek(rg.To); k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
	}
	for ; inRange(k); k, v = step(c, reverse) {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

func step(c *bbolt.Cursor, reverse bool) ([]byte, []byte) {
	if reverse {
		return c.Prev()
	}
	return c.Next()
}
