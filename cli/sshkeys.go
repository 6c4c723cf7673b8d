package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/keyrack/keyrack/model"
)

// sshKeys reads --ssh-key: the key itself, or a file of keys in
// authorized_keys form (blank lines and # comments skipped). Nothing of a
// file that holds no key is echoed, so a wrong path shows no contents.
func sshKeys(v string, readFiles bool) ([]string, error) {
	_, _, perr := model.ParseSSHKey(v)
	switch {
	case perr == nil:
		return []string{v}, nil
	case !readFiles:
		return nil, fmt.Errorf("%v (over SSH, give the key itself, not a file)", perr)
	}
	data, ferr := os.ReadFile(v)
	if ferr != nil {
		if errors.Is(ferr, os.ErrNotExist) && !strings.Contains(v, " ") {
			return nil, fmt.Errorf("%q is neither an SSH public key nor a readable file", model.Printable(v))
		}
		return nil, perr
	}
	var keys []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if _, _, err := model.ParseSSHKey(line); err != nil {
			return nil, fmt.Errorf("%s: %v", model.Printable(v), err)
		}
		keys = append(keys, line)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s holds no SSH public key", model.Printable(v))
	}
	return keys, nil
}
