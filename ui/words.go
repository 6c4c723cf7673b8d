package ui

import (
	"fmt"

	"github.com/keyrack/keyrack/model"
)

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
