package storage

import (
	"errors"
	"io"

	"github.com/keyrack/keyrack/model"
)

// spoolGroups is how many groups an import sorts the keys that come with
// a token into, by the first four bits of the token's hash: each group has a
// spool of its own, and the chunks store one group after the other, each
// in the input's order. A chunk's keys so share a sixteenth of the
// token-hash index: the index's leaves a chunk writes are as many as
// before (one a key: the hashes are random), but its branch pages a
// sixteenth of them, not nearly all, while its display-order entries (an
// export comes in order of creation) fall in a range sixteen times as
// wide. An import of a million keys (BenchmarkMillionImport) took 56.5 s
// in the input's order, 43.8 s in 4 groups, 39.6 s in 8, 33.9 s in 16 and
// 32.6 s in 32 (docs/BENCHMARKS.md). Keys without a token come last, in
// the input's order, in a spool of their own: their tokens are drawn as
// they are stored, and printed in the order of the input.
const spoolGroups = 16

// groupedSpool is an import's spools, one a group and one for the keys
// without a token, read one after the other.
type groupedSpool struct {
	groups  [spoolGroups + 1]*spool
	reading int // the group being read
}

// newGroupedSpool creates the empty spools in dir, each with its own key
// drawn from rand.
func newGroupedSpool(dir string, rand io.Reader) (*groupedSpool, error) {
	g := &groupedSpool{}
	for i := range g.groups {
		sp, err := newSpool(dir, rand)
		if err != nil {
			g.close()
			return nil, err
		}
		g.groups[i] = sp
	}
	return g, nil
}

// add appends a checked key to its group's spool.
func (g *groupedSpool) add(nk NewKey) error {
	if nk.Token.IsZero() {
		return g.groups[spoolGroups].add(nk)
	}
	return g.groups[tokenGroup(nk.Token)].add(nk)
}

// tokenGroup is the group of a token: the first four bits of its hash.
func tokenGroup(tok model.Token) int {
	h := tok.Hash()
	return int(h[0]) * spoolGroups / 256
}

// rewind ends writing and starts reading from the first group's first key.
func (g *groupedSpool) rewind() error {
	for _, sp := range g.groups {
		if err := sp.rewind(); err != nil {
			return err
		}
	}
	return nil
}

// next returns the next key, or io.EOF after the last group's last.
func (g *groupedSpool) next() (NewKey, error) {
	for g.reading < len(g.groups) {
		nk, err := g.groups[g.reading].next()
		if !errors.Is(err, io.EOF) {
			return nk, err
		}
		g.reading++
	}
	return NewKey{}, io.EOF
}

// count is how many keys were added.
func (g *groupedSpool) count() int {
	n := 0
	for _, sp := range g.groups {
		n += sp.count
	}
	return n
}

// close closes every spool, which frees them.
func (g *groupedSpool) close() {
	for _, sp := range g.groups {
		if sp != nil {
			sp.close()
		}
	}
}
