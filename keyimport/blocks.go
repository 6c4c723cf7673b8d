package keyimport

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/keyrack/keyrack/storage"
)

// blockLines is how many lines a block holds: enough that handing blocks
// over costs little, few enough that every core has work from the start.
const blockLines = 4096

// block is consecutive non-blank lines of the file, copied.
type block struct {
	index int
	lines []int // each line's number
	ends  []int // where each line's text ends in data
	data  []byte
}

// parsed is a block's keys, or the error of its first bad line.
type parsed struct {
	keys []storage.NewKey
	err  error
}

// parser parses blocks of lines on every core and puts the keys back in
// file order.
type parser struct {
	format  Format
	cur     *block // the block being filled
	blocks  int    // blocks handed over so far
	size    int    // bytes of the last full block, to size the next
	jobs    chan *block
	wg      sync.WaitGroup
	mu      sync.Mutex
	results []parsed     // by block index
	bad     atomic.Int64 // the first block known to hold a bad line
}

func newParser(format Format) *parser {
	workers := runtime.GOMAXPROCS(0)
	p := &parser{format: format, jobs: make(chan *block, workers)}
	p.bad.Store(math.MaxInt64)
	for range workers {
		p.wg.Add(1)
		go p.work()
	}
	return p
}

// add appends line n to the current block, handing it over when full.
func (p *parser) add(n int, text []byte) {
	if p.cur == nil {
		p.cur = &block{index: p.blocks, lines: make([]int, 0, blockLines), ends: make([]int, 0, blockLines), data: make([]byte, 0, p.size)}
		p.blocks++
	}
	p.cur.data = append(p.cur.data, text...)
	p.cur.lines, p.cur.ends = append(p.cur.lines, n), append(p.cur.ends, len(p.cur.data))
	if len(p.cur.lines) == blockLines {
		p.size = len(p.cur.data) + len(p.cur.data)/8
		p.jobs <- p.cur
		p.cur = nil
	}
}

// failed reports that a bad line was found: reading on is of no use.
func (p *parser) failed() bool { return p.bad.Load() != math.MaxInt64 }

// work parses blocks until there are none, skipping those after a block
// known to hold a bad line.
func (p *parser) work() {
	defer p.wg.Done()
	for b := range p.jobs {
		if int64(b.index) > p.bad.Load() {
			continue
		}
		res := parsed{keys: make([]storage.NewKey, 0, len(b.lines))}
		start := 0
		for i, n := range b.lines {
			k, err := parseLine(n, b.data[start:b.ends[i]], p.format)
			if err != nil {
				res.err = err
				lowerTo(&p.bad, int64(b.index))
				break
			}
			res.keys, start = append(res.keys, k), b.ends[i]
		}
		p.mu.Lock()
		if len(p.results) <= b.index {
			p.results = append(p.results, make([]parsed, b.index+1-len(p.results))...)
		}
		p.results[b.index] = res
		p.mu.Unlock()
	}
}

// lowerTo sets v to n unless it already holds less, racing other writers.
func lowerTo(v *atomic.Int64, n int64) {
	for {
		old := v.Load()
		if n >= old || v.CompareAndSwap(old, n) {
			return
		}
	}
}

// finish waits for the last blocks and returns every key in file order,
// or the first bad line's error, or else readErr (reading stopped there).
func (p *parser) finish(readErr error) ([]storage.NewKey, error) {
	if p.cur != nil {
		p.jobs <- p.cur
	}
	close(p.jobs)
	p.wg.Wait()
	total := 0
	for _, r := range p.results { // blocks skipped after a bad one come after its error
		if r.err != nil {
			return nil, r.err
		}
		total += len(r.keys)
	}
	if readErr != nil {
		return nil, readErr
	}
	keys := make([]storage.NewKey, 0, total)
	for i := range p.results {
		keys = append(keys, p.results[i].keys...)
		p.results[i].keys = nil
	}
	return keys, nil
}
