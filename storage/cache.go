package storage

import (
	"sync"
	"time"

	"github.com/tidwall/btree"
)

// keyChange is what a commit did to one key: a new record (entry), the
// record gone (neither set), or one node's last use of it (used).
type keyChange struct {
	id    string
	entry *entry
	used  time.Time
}

// keyIndex is one immutable version of the key list: the keys in display
// order and by id. A commit copies both trees (O(1), copy on write) and
// patches the copies, so readers keep the version they took.
type keyIndex struct {
	order *btree.BTreeG[*entry]
	byID  *btree.BTreeG[*entry]
}

func newKeyIndex() keyIndex {
	opts := btree.Options{NoLocks: true} // published versions are never written
	return keyIndex{
		order: btree.NewBTreeGOptions(lessByPlace, opts),
		byID:  btree.NewBTreeGOptions(lessByID, opts),
	}
}

func (x keyIndex) copy() keyIndex { return keyIndex{order: x.order.Copy(), byID: x.byID.Copy()} }

// lookup returns the entry of a key id.
func (x keyIndex) lookup(id string) (*entry, bool) {
	return x.byID.Get(entryByID(id))
}

// caches holds the key list and the auth map as of the revision the feed
// has applied (feed.go). The feed's goroutine is their only writer.
type caches struct {
	mu     sync.Mutex // guards index and loaded
	index  keyIndex
	loaded bool

	authMu sync.RWMutex // guards byHash
	byHash *authIndex
}

// install replaces everything with a fresh load.
func (c *caches) install(index keyIndex, byHash *authIndex) {
	c.mu.Lock()
	c.index, c.loaded = index, true
	c.mu.Unlock()
	c.authMu.Lock()
	c.byHash = byHash
	c.authMu.Unlock()
}

// patch applies one commit's key changes to copies of the trees, O(log n)
// per change, publishes them, then updates the auth map. Authentication
// waits only for the map's updates, never for the trees. A key's last use
// only moves forward: a record carries its own, every node's newest wins.
func (c *caches) patch(changes []keyChange) {
	if len(changes) == 0 {
		return
	}
	c.mu.Lock()
	next := c.index.copy()
	type hashOp struct {
		gone  *entry // its hash leaves the map
		added *entry
	}
	ops := make([]hashOp, 0, len(changes))
	for _, ch := range changes {
		old, had := next.lookup(ch.id)
		e := ch.entry
		switch {
		case !ch.used.IsZero():
			if !had || nanos(ch.used) <= old.used {
				continue
			}
			used := *old
			used.used = nanos(ch.used)
			e = &used
		case had && e != nil && old.used > e.used:
			e.used = old.used
		}
		var op hashOp
		if had {
			next.order.Delete(old)
			next.byID.Delete(old)
			op.gone = old
		}
		if e != nil {
			next.order.Set(e)
			next.byID.Set(e)
			op.added = e
		}
		ops = append(ops, op)
	}
	c.index = next
	c.mu.Unlock()

	c.authMu.Lock()
	defer c.authMu.Unlock()
	for _, op := range ops {
		if op.gone != nil {
			c.byHash.delete(op.gone.hash)
		}
		if op.added != nil {
			c.byHash.set(op.added)
		}
	}
}

// current returns the published key index; ok is false until loaded.
func (c *caches) current() (keyIndex, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.index, c.loaded
}
