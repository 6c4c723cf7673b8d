package keyimport

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

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

// Read parses every line of r, a block of lines at a time on every core
// (blocks.go). Blank lines are skipped. The first bad line ends the read
// with an error naming it; nothing is returned then.
func Read(r io.Reader, format Format) ([]storage.NewKey, Format, error) {
	if format != Detect && format != Keyrack && format != Lago {
		return nil, format, fmt.Errorf("unknown format %q: keyrack or lago", model.Printable(string(format)))
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	var p *parser // started at the first line, once the format is known
	n := 0
	for sc.Scan() && (p == nil || !p.failed()) {
		n++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		if p == nil {
			if format == Detect {
				format = detect(text)
			}
			p = newParser(format)
		}
		p.add(n, text)
	}
	readErr := sc.Err()
	if errors.Is(readErr, bufio.ErrTooLong) {
		readErr = fmt.Errorf("line %d: longer than %d bytes", n+1, maxLine)
	} else if readErr != nil {
		readErr = fmt.Errorf("read: %w", readErr)
	}
	if p == nil {
		return nil, format, readErr
	}
	keys, err := p.finish(readErr)
	return keys, format, err
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
