package storage

import (
	"sync"

	"github.com/keyrack/keyrack/model"
	"github.com/tidwall/btree"
)

// entry is one key as the caches hold it. The display-order tree, the id
// tree and the auth map share one entry per key.
type entry struct {
	key   model.Key
	hash  [32]byte
	place place
}

// cacheChange is what one commit did to one key.
type cacheChange struct {
	hash    []byte
	key     model.Key
	place   place
	deleted bool
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
		order: btree.NewBTreeGOptions(func(a, b *entry) bool { return comparePlaces(a.place, b.place) < 0 }, opts),
		byID:  btree.NewBTreeGOptions(func(a, b *entry) bool { return a.key.ID < b.key.ID }, opts),
	}
}

func (x keyIndex) copy() keyIndex { return keyIndex{order: x.order.Copy(), byID: x.byID.Copy()} }

// lookup returns the entry of a key id.
func (x keyIndex) lookup(id string) (*entry, bool) {
	return x.byID.Get(&entry{key: model.Key{ID: id}})
}

// caches holds the key list and the auth map. They are filled by load,
// from one read transaction and without the write lock; commits that land
// meanwhile wait in backlog and are replayed once the load is done.
type caches struct {
	mu      sync.Mutex
	loading *loadRun // non-nil while a load runs
	loaded  bool
	backlog []committed
	index   keyIndex

	authMu sync.RWMutex // guards byHash
	byHash map[[32]byte]*entry
}

// loadRun lets callers that arrive during a load wait for its result.
type loadRun struct {
	done chan struct{}
	err  error
}

// committed is one commit's changes, named by its bbolt transaction id.
type committed struct {
	txid    int
	changes []cacheChange
}

// apply brings the caches up to date with one commit. Called under the
// store's write lock, in commit order.
func (c *caches) apply(txid int, changes []cacheChange) {
	if len(changes) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.loaded:
		c.patch(changes)
	case c.loading != nil:
		c.backlog = append(c.backlog, committed{txid, changes})
	}
}

// patch applies changes to copies of the trees, then to the auth map.
// Authentication waits only for the map's updates, never for the trees.
// The caller holds mu.
func (c *caches) patch(changes []cacheChange) {
	ops := c.patchTrees(changes)
	c.authMu.Lock()
	ops.applyTo(c.byHash)
	c.authMu.Unlock()
}

// patchTrees applies changes to copies of the trees, O(log n) per change,
// publishes them and returns what the auth map must do. The caller holds mu.
func (c *caches) patchTrees(changes []cacheChange) hashOps {
	next := c.index.copy()
	ops := hashOps{gone: make([][32]byte, 0, len(changes)), added: make([]*entry, 0, len(changes))}
	for _, ch := range changes {
		if old, ok := next.lookup(ch.key.ID); ok {
			next.order.Delete(old)
			next.byID.Delete(old)
			ops.gone = append(ops.gone, old.hash)
		}
		if ch.deleted || len(ch.hash) != 32 {
			continue // a damaged record is left out, as load leaves it out
		}
		e := &entry{key: ch.key, hash: [32]byte(ch.hash), place: ch.place}
		next.order.Set(e)
		next.byID.Set(e)
		ops.added = append(ops.added, e)
	}
	c.index = next
	return ops
}

// hashOps are one commit's updates of the auth map.
type hashOps struct {
	gone  [][32]byte
	added []*entry
}

// applyTo removes the old hashes from m, then adds the new entries.
func (o hashOps) applyTo(m map[[32]byte]*entry) {
	for _, h := range o.gone {
		delete(m, h)
	}
	for _, e := range o.added {
		m[e.hash] = e
	}
}

// current returns the published key index; ok is false until loaded.
func (c *caches) current() (keyIndex, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.index, c.loaded
}
