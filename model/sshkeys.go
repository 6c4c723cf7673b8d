package model

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// ParseAuthorizedKeys parses the lines of an authorized_keys file; blank
// lines and # comments are skipped. An error names the line.
func ParseAuthorizedKeys(text string) ([]AuthorizedKey, error) {
	var out []AuthorizedKey
	for i, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, err := ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		out = append(out, k)
	}
	return out, nil
}

// ReadSSHKeys reads "an SSH key or a file of keys", the one form behind
// --admin-key, --ssh-key and members add-key: arg is an authorized_keys
// line, or else the path of a file of them read with readFile. A nil
// readFile allows only the key itself (over SSH, the server's files are
// out of reach). Nothing of a file that holds no key is echoed.
func ReadSSHKeys(arg string, readFile func(string) ([]byte, error)) ([]AuthorizedKey, error) {
	k, perr := ParseAuthorizedKey(arg)
	if perr == nil {
		return []AuthorizedKey{k}, nil
	}
	if readFile == nil {
		return nil, perr
	}
	data, err := readFile(arg)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !looksLikeKey(arg):
		return nil, fmt.Errorf("%q is neither an SSH public key nor a readable file", Printable(arg))
	case err != nil && looksLikeKey(arg):
		return nil, perr // a mistyped key: its parse error is the useful one
	case err != nil:
		return nil, err
	}
	keys, err := ParseAuthorizedKeys(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Printable(arg), err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s holds no SSH public key", Printable(arg))
	}
	return keys, nil
}

// looksLikeKey tells a mistyped key from a mistyped path: a key line has
// a space between its fields.
func looksLikeKey(arg string) bool {
	return strings.Contains(strings.TrimSpace(arg), " ")
}
