package model

import (
	"strings"
	"time"
)

// AuditEntry records one change of state, or a reveal or copy of a secret.
type AuditEntry struct {
	Seq     uint64    `json:"seq"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	KeyID   string    `json:"key_id,omitempty"`
	KeyName string    `json:"key_name,omitempty"`
	Detail  string    `json:"detail,omitempty"`
}

// Audit actions.
const (
	ActionCreate       = "create"
	ActionRotate       = "rotate"
	ActionScheduleRot  = "rotate_scheduled"
	ActionExpire       = "expire"
	ActionRename       = "rename"
	ActionPermissions  = "permissions"
	ActionDelete       = "delete"
	ActionReveal       = "reveal"
	ActionCopy         = "copy"
	ActionMemberAdd    = "member_add"
	ActionMemberRemove = "member_remove"
	ActionMemberSSHKey = "member_ssh_key"
	ActionMemberRole   = "member_role"
	ActionMemberKeyDel = "member_ssh_key_remove"
	ActionOrganization = "organization_create"
	ActionRekey        = "rekey" // every secret re-sealed under a new master key
	ActionDisable      = "disable"
	ActionEnable       = "enable"
	ActionExpiry       = "expiry"
	ActionPolicy       = "policy"
	ActionRetireIdle   = "retire_idle"
	ActionRemind       = "remind"
)

// actionWords is each action in words, for screens and tables.
var actionWords = map[string]string{
	ActionCreate:       "key created",
	ActionRotate:       "key rotated",
	ActionScheduleRot:  "rotation scheduled",
	ActionExpire:       "key expired",
	ActionRename:       "key renamed",
	ActionPermissions:  "permissions changed",
	ActionDelete:       "key deleted",
	ActionReveal:       "token revealed",
	ActionCopy:         "token copied",
	ActionMemberAdd:    "member added",
	ActionMemberRemove: "member removed",
	ActionMemberSSHKey: "SSH key added",
	ActionMemberRole:   "role changed",
	ActionMemberKeyDel: "SSH key removed",
	ActionOrganization: "organization created",
	ActionRekey:        "master key replaced",
	ActionDisable:      "key disabled",
	ActionEnable:       "key enabled",
	ActionExpiry:       "expiry changed",
	ActionPolicy:       "policy changed",
	ActionRetireIdle:   "idle key retired",
	ActionRemind:       "reminder sent",
}

// ActionWords says what an audit action did, in words: "SSH key added",
// not "member_ssh_key". An action this version does not know (written by
// a newer one) reads as its name with spaces.
func ActionWords(action string) string {
	if w, ok := actionWords[action]; ok {
		return w
	}
	return strings.ReplaceAll(Printable(action), "_", " ")
}
