package model

import "time"

// Usage is a key's usage over a window: the totals, per resource and mode,
// and the hours with traffic, oldest first.
type Usage struct {
	Since time.Time
	UsageHour
	Hours []UsageHour
}

// Suggest returns the smallest permissions that would have allowed every
// request the key was allowed to make in the window. Refused requests do
// not widen it: least privilege never grants what was denied.
func (u Usage) Suggest() Permissions {
	var p Permissions
	for r := range u.Modes {
		for m := range u.Modes[r] {
			if u.Modes[r][m].Allowed > 0 {
				p[r] |= ModeAt(m)
			}
		}
	}
	return p
}

// Refusal is how many requests of one resource and mode a spec refuses.
type Refusal struct {
	Resource Resource
	Mode     Access
	Requests uint64
}

// DryRun returns the requests allowed in the window that spec would have
// refused, by resource and mode, and their total.
func (u Usage) DryRun(spec Permissions) ([]Refusal, uint64) {
	var out []Refusal
	var total uint64
	for r := range u.Modes {
		for m := range u.Modes[r] {
			n := uint64(u.Modes[r][m].Allowed)
			if n > 0 && !spec.Allows(Resource(r), ModeAt(m)) {
				out = append(out, Refusal{Resource(r), ModeAt(m), n})
				total += n
			}
		}
	}
	return out, total
}
