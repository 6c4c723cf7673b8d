package ui

import (
	"fmt"
	"strings"

	"github.com/keyrack/keyrack/model"
)

// actionWords says what an audit action did, in words: "SSH key added",
// not "member_ssh_key". An action this version does not know (written by
// a newer one) reads as its name with spaces.
func actionWords(action string) string {
	words := map[string]string{
		model.ActionCreate:       "key created",
		model.ActionRotate:       "key rotated",
		model.ActionScheduleRot:  "rotation scheduled",
		model.ActionExpire:       "key expired",
		model.ActionRename:       "key renamed",
		model.ActionPermissions:  "permissions changed",
		model.ActionDelete:       "key deleted",
		model.ActionReveal:       "token revealed",
		model.ActionCopy:         "token copied",
		model.ActionMemberAdd:    "member added",
		model.ActionMemberRemove: "member removed",
		model.ActionMemberSSHKey: "SSH key added",
		model.ActionOrganization: "organization created",
	}
	if w, ok := words[action]; ok {
		return w
	}
	return strings.ReplaceAll(model.Printable(action), "_", " ")
}

// plural counts n things with thousands separators: "1 key", "10,001 keys".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return count(n) + " " + many
}

// count writes n with thousands separators: 10,001.
func count(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// verb agrees a verb with n: "1 mail waits", "2 mails wait".
func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// permissionsText sums up permissions: "all 71 permissions", "none",
// "read-only: 3 of 38 resources · 3 of 71 permissions".
func permissionsText(p model.Permissions) string {
	granted, offered := p.Cells()
	switch granted {
	case offered:
		return fmt.Sprintf("all %d permissions", offered)
	case 0:
		return "none"
	}
	return fmt.Sprintf("%s · %d of %d permissions", p.Summary(), granted, offered)
}
