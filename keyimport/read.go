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

// Read parses every line of r. Blank lines are skipped. The first bad line
// ends the read with an error naming it; nothing is returned then.
func Read(r io.Reader, format Format) ([]storage.NewKey, Format, error) {
	if format != Detect && format != Keyrack && format != Lago {
		return nil, format, fmt.Errorf("unknown format %q: keyrack or lago", model.Printable(string(format)))
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	var keys []storage.NewKey
	for n := 1; sc.Scan(); n++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var l line
		if err := json.Unmarshal(text, &l); err != nil {
			return nil, format, fmt.Errorf("line %d: %s", n, jsonProblem(err))
		}
		if format == Detect {
			format = Keyrack
			if l.Value != nil {
				format = Lago
			}
		}
		k, err := l.key(format)
		if err != nil {
			return nil, format, fmt.Errorf("line %d: %w", n, err)
		}
		k.Line = n
		keys = append(keys, k)
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return nil, format, fmt.Errorf("line %d: longer than %d bytes", len(keys)+1, maxLine)
	} else if err != nil {
		return nil, format, fmt.Errorf("read: %w", err)
	}
	return keys, format, nil
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
