package keyimport

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// Format names a file format.
type Format string

// The formats Read understands. Detect picks one from the first line.
const (
	Detect  Format = ""
	Keyrack Format = "keyrack"
	Lago    Format = "lago"
)

// maxLine bounds one line, so that a file without newlines cannot take
// all memory.
const maxLine = 1 << 20

// line is one object of either format; fields absent from it stay nil.
type line struct {
	Value       *string            `json:"value"` // Lago's token
	Token       *string            `json:"token"` // keyrack's optional token
	Name        *string            `json:"name"`
	Permissions *model.Permissions `json:"permissions"`
	CreatedAt   *string            `json:"created_at"`
	LastUsedAt  *string            `json:"last_used_at"`
	ExpiresAt   *string            `json:"expires_at"`
}

// Reader reads a file of keys a block of lines at a time, in file order,
// parsing the blocks ahead on every core (blocks.go). It holds only the
// few blocks in flight, so its memory does not grow with the file. Blank
// lines are skipped; the first bad line ends the read with an error naming
// it.
type Reader struct {
	order   chan *block // read blocks in file order, parsed or being parsed
	stop    chan struct{}
	closed  sync.Once
	readErr error // why reading ended, set before order is closed
	err     error // what Next returned last, once it is not a block
}

// NewReader starts reading r in format (Detect: Lago if the first line has
// a value field, else keyrack). Close it when done with it.
func NewReader(r io.Reader, format Format) (*Reader, error) {
	if format != Detect && format != Keyrack && format != Lago {
		return nil, fmt.Errorf("unknown format %q: keyrack or lago", model.Printable(string(format)))
	}
	workers := runtime.GOMAXPROCS(0)
	rd := &Reader{order: make(chan *block, 2*workers), stop: make(chan struct{})}
	jobs := make(chan *block, workers)
	bad := newFirstBad()
	for range workers {
		go rd.work(jobs, bad)
	}
	go rd.scan(r, format, jobs, bad)
	return rd, nil
}

// Next returns the keys of the next block of lines, or the error of the
// first bad line, or io.EOF after the last block. Once it has returned an
// error it returns it again.
func (rd *Reader) Next() ([]storage.NewKey, error) {
	if rd.err != nil {
		return nil, rd.err
	}
	b, ok := <-rd.order
	if !ok {
		rd.err = rd.readErr
		if rd.err == nil {
			rd.err = io.EOF
		}
		return nil, rd.err
	}
	<-b.done
	if b.err != nil {
		rd.err = b.err
		return nil, rd.err
	}
	return b.keys, nil
}

// Close stops reading and parsing. A read already waiting on the input
// ends when the input gives something or closes.
func (rd *Reader) Close() { rd.closed.Do(func() { close(rd.stop) }) }

// scan reads lines into blocks and hands each to Next (order) and to the
// workers (jobs), until the input ends, a block is known to be bad, or
// Close is called. order's capacity bounds how far it reads ahead.
func (rd *Reader) scan(r io.Reader, format Format, jobs chan<- *block, bad *firstBad) {
	defer close(rd.order)
	defer close(jobs)
	send := func(b *block) bool {
		for _, ch := range []chan<- *block{rd.order, jobs} {
			select {
			case ch <- b:
			case <-rd.stop:
				return false
			}
		}
		return true
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	var cur *block
	blocks, size, n := 0, 0, 0
	for !bad.any() && sc.Scan() {
		n++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		if format == Detect {
			format = detect(text)
		}
		if cur == nil {
			cur = newBlock(blocks, format, size)
			blocks++
		}
		if cur.add(n, text) {
			size = len(cur.data) + len(cur.data)/8
			if !send(cur) {
				return
			}
			cur = nil
		}
	}
	if cur != nil && !send(cur) {
		return
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		rd.readErr = fmt.Errorf("line %d: longer than %d bytes", n+1, maxLine)
	} else if err != nil {
		rd.readErr = fmt.Errorf("read: %w", err)
	}
}

// work parses blocks until there are none, skipping those after a block
// known to hold a bad line (Next stops at that one) and all once closed.
func (rd *Reader) work(jobs <-chan *block, bad *firstBad) {
	for b := range jobs {
		select {
		case <-rd.stop:
			close(b.done)
			continue
		default:
		}
		if bad.after(b.index) {
			close(b.done)
			continue
		}
		if b.parse(); b.err != nil {
			bad.found(b.index)
		}
	}
}

// detect tells the format from the first line: Lago's has a value field.
// A line that does not decode is refused by the parse that follows.
func detect(text []byte) Format {
	var l line
	if json.Unmarshal(text, &l) == nil && l.Value != nil {
		return Lago
	}
	return Keyrack
}

// parseLine turns line n into a key.
func parseLine(n int, text []byte, format Format) (storage.NewKey, error) {
	var l line
	if !scanLine(text, &l) {
		l = line{}
		if err := json.Unmarshal(text, &l); err != nil {
			return storage.NewKey{}, fmt.Errorf("line %d: %s", n, jsonProblem(err))
		}
	}
	k, err := l.key(format)
	if err != nil {
		return k, fmt.Errorf("line %d: %w", n, err)
	}
	k.Line = n
	return k, nil
}

// jsonProblem describes a decoding error without quoting the input.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return fmt.Sprintf("field %s: want %s", typeErr.Field, typeErr.Type)
	}
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return "not a JSON object"
	}
	if errors.As(err, &typeErr) {
		return "not a JSON object"
	}
	return "permissions: " + err.Error() // an unknown resource or mode, named by the model
}
