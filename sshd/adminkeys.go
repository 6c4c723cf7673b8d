package sshd

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/keyrack/keyrack/model"
)

// ErrNoAdmin is returned by New when nobody could log in: no member with
// role admin has an SSH key and no bootstrap key was given.
var ErrNoAdmin = errors.New("no admin can log in: give a bootstrap key with --admin-key KEY|FILE " +
	"(or KEYRACK_ADMIN_KEYS), or add one with `keyrack members add EMAIL --role admin --ssh-key KEY`")

// ReadAdminKeys expands --admin-key values: each is an authorized_keys
// line or the path of a file of them (model.ReadSSHKeys). It returns the
// lines normalised; an option keyrack cannot honour is an error.
func ReadAdminKeys(values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		keys, err := model.ReadSSHKeys(v, os.ReadFile)
		if err != nil {
			return nil, fmt.Errorf("--admin-key: %w", err)
		}
		for _, k := range keys {
			out = append(out, k.Line)
		}
	}
	return out, nil
}

// ReadAdminKeysEnv reads KEYRACK_ADMIN_KEYS, whose keys are separated by
// newlines or commas, and returns the lines normalised; a bad line, or an
// option keyrack cannot honour, is an error naming the variable.
func ReadAdminKeysEnv(env string) ([]string, error) {
	var out []string
	for i, line := range splitAdminKeys(env) {
		k, err := model.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("KEYRACK_ADMIN_KEYS key %d: %w", i+1, err)
		}
		out = append(out, k.Line)
	}
	return out, nil
}

// splitAdminKeys splits KEYRACK_ADMIN_KEYS, whose keys are separated by
// newlines or commas. A comma inside a key's options (no-pty,from="a,b")
// does not split: a key ends only after its type and base64 have begun,
// which a space outside quotes marks.
func splitAdminKeys(env string) []string {
	var out []string
	var cur strings.Builder
	quoted, spaced := false, false
	flush := func() {
		if line := strings.TrimSpace(cur.String()); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
		cur.Reset()
		quoted, spaced = false, false
	}
	for _, r := range env {
		switch {
		case r == '\n' || (r == ',' && !quoted && spaced):
			flush()
			continue
		case r == '"':
			quoted = !quoted
		case r == ' ' || r == '\t':
			spaced = spaced || (!quoted && strings.TrimSpace(cur.String()) != "")
		}
		cur.WriteRune(r)
	}
	flush()
	return out
}

// parseAdminKeys parses the bootstrap keys; a bad one is an error, so that
// a typo does not silently lock the admin out, and an option keyrack does
// not honour is never silently dropped.
func parseAdminKeys(lines []string) ([]model.AuthorizedKey, error) {
	var out []model.AuthorizedKey
	for i, line := range lines {
		k, err := model.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("admin key %d: %w", i+1, err)
		}
		out = append(out, k)
	}
	return out, nil
}
