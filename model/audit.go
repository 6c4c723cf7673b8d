package model

import "time"

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
