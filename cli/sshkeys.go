package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/keyrack/keyrack/model"
)

// sshKeys reads --ssh-key and members add-key's KEY: an authorized_keys
// line or a file of them (model.ReadSSHKeys, the one parser for both).
// Over SSH the server's files are out of reach.
func sshKeys(v string, readFiles bool) ([]string, error) {
	read := os.ReadFile
	if !readFiles {
		read = nil
	}
	keys, err := model.ReadSSHKeys(v, read)
	if err != nil {
		if !readFiles && !strings.Contains(strings.TrimSpace(v), " ") {
			return nil, fmt.Errorf("%v (over SSH, give the key itself or - to read it from stdin, not a file)", err)
		}
		return nil, err
	}
	return keyLines(keys), nil
}

// maxKeyInput bounds what `members add-key EMAIL -` reads from stdin.
const maxKeyInput = 64 << 10

// sshKeysFromStdin reads authorized_keys lines from stdin: one key, or
// several, as a file would hold them.
func sshKeysFromStdin(in io.Reader) ([]string, error) {
	if in == nil {
		return nil, usagef("no standard input to read the key from")
	}
	data, err := io.ReadAll(io.LimitReader(in, maxKeyInput+1))
	if err != nil {
		return nil, fmt.Errorf("read the key from stdin: %w", err)
	}
	if len(data) > maxKeyInput {
		return nil, usagef("stdin holds more than %d KiB: not SSH public keys", maxKeyInput>>10)
	}
	keys, err := model.ParseAuthorizedKeys(string(data))
	if err != nil {
		return nil, usagef("stdin: %v", err)
	}
	if len(keys) == 0 {
		return nil, usagef("stdin holds no SSH public key")
	}
	return keyLines(keys), nil
}

// keyLines is the authorized_keys line of each key, as members store them.
func keyLines(keys []model.AuthorizedKey) []string {
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = k.Line
	}
	return lines
}
