package model

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Access is a set of modes: Read, Write or both.
type Access uint8

// The two modes a permission grants.
const (
	Read Access = 1 << iota
	Write
)

// String names the modes: "read", "write", "read+write" or "none".
func (a Access) String() string {
	switch a {
	case Read:
		return "read"
	case Write:
		return "write"
	case Read | Write:
		return "read+write"
	}
	return "none"
}

// ParseMode parses "read" or "write".
func ParseMode(s string) (Access, error) {
	switch s {
	case "read":
		return Read, nil
	case "write":
		return Write, nil
	}
	return 0, fmt.Errorf("unknown mode %q%s (want read or write)", Printable(s), didYouMean(s, []string{"read", "write"}))
}

// Permissions holds the access a key has to every resource.
type Permissions [ResourceCount]Access

// AllPermissions grants every mode each resource offers.
func AllPermissions() Permissions {
	var p Permissions
	for _, r := range Resources() {
		p[r] = Read
		if !r.ReadOnly() {
			p[r] |= Write
		}
	}
	return p
}

// Allows reports whether p grants mode on r.
func (p Permissions) Allows(r Resource, mode Access) bool {
	return int(r) < ResourceCount && p[r]&mode == mode && mode != 0
}

// Grant adds mode on r; write on a read-only resource is refused.
func (p *Permissions) Grant(r Resource, mode Access) error {
	if mode&Write != 0 && r.ReadOnly() {
		return errReadOnly(r)
	}
	p[r] |= mode
	return nil
}

// Validate refuses what Grant would not produce: a mode other than read
// and write, or write on a read-only resource. Storage checks it before a
// write, because a record it cannot decode would make every list fail.
func (p Permissions) Validate() error {
	for _, r := range Resources() {
		if p[r]&^(Read|Write) != 0 {
			return fmt.Errorf("resource %s: unknown mode bits %#x", r, uint8(p[r]))
		}
		if p[r]&Write != 0 && r.ReadOnly() {
			return errReadOnly(r)
		}
	}
	return nil
}

func errReadOnly(r Resource) error {
	return fmt.Errorf("resource %s is read-only: write is not offered", r)
}

// Toggle flips mode on r; write on a read-only resource stays off.
func (p *Permissions) Toggle(r Resource, mode Access) {
	if mode&Write != 0 && r.ReadOnly() {
		return
	}
	p[r] ^= mode
}

// Cells counts the granted cells and the cells offered (read + write).
func (p Permissions) Cells() (granted, offered int) {
	for _, r := range Resources() {
		offered++
		if !r.ReadOnly() {
			offered++
		}
		if p[r]&Read != 0 {
			granted++
		}
		if p[r]&Write != 0 {
			granted++
		}
	}
	return granted, offered
}

// Summary describes p in a few words for the details panel.
func (p Permissions) Summary() string {
	var read, write int
	for _, r := range Resources() {
		if p[r]&Read != 0 {
			read++
		}
		if p[r]&Write != 0 {
			write++
		}
	}
	switch {
	case p == AllPermissions():
		return fmt.Sprintf("all (%d of %d resources)", ResourceCount, ResourceCount)
	case read == 0 && write == 0:
		return "none"
	case write == 0:
		return fmt.Sprintf("read-only: %d of %d resources", read, ResourceCount)
	}
	return fmt.Sprintf("read %d, write %d of %d resources", read, write, ResourceCount)
}

// String renders p as a spec that ParsePermissions accepts.
func (p Permissions) String() string {
	switch p {
	case AllPermissions():
		return "all"
	case Permissions{}:
		return "none"
	}
	var parts []string
	for _, r := range Resources() {
		if p[r] != 0 {
			parts = append(parts, r.String()+"="+p[r].String())
		}
	}
	return strings.Join(parts, ",")
}

// ParsePermissions parses "all", "none" or a list such as
// "customer=read,invoice=read+write". Resources not named get no access.
func ParsePermissions(spec string) (Permissions, error) {
	spec = strings.TrimSpace(spec)
	switch spec {
	case "all":
		return AllPermissions(), nil
	case "none":
		return Permissions{}, nil
	case "":
		return Permissions{}, fmt.Errorf("empty permission spec (use all, none or resource=read+write,…)")
	}
	var p Permissions
	for _, item := range strings.Split(spec, ",") {
		name, modes, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			return Permissions{}, fmt.Errorf("permission %q: want resource=read, resource=write or resource=read+write", Printable(item))
		}
		r, err := LookupResource(strings.TrimSpace(name))
		if err != nil {
			return Permissions{}, err
		}
		for _, m := range strings.Split(modes, "+") {
			mode, err := ParseMode(strings.TrimSpace(m))
			if err != nil {
				return Permissions{}, fmt.Errorf("resource %s: %w", r, err)
			}
			if err := p.Grant(r, mode); err != nil {
				return Permissions{}, err
			}
		}
	}
	return p, nil
}

// MarshalJSON encodes p as resource → ["read", "write"], granted resources only.
// Names are written in sorted order, as encoding/json writes a map; the
// bytes are built directly because `keys list --json` writes one object
// per key, 100,000 of them on a large organization.
func (p Permissions) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 64*ResourceCount)
	b = append(b, '{')
	for _, r := range resourcesByName {
		modes := p[r] & (Read | Write)
		if modes == 0 {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, r.String()...)
		b = append(b, `":`...)
		switch modes {
		case Read:
			b = append(b, `["read"]`...)
		case Write:
			b = append(b, `["write"]`...)
		default:
			b = append(b, `["read","write"]`...)
		}
	}
	return append(b, '}'), nil
}

// resourcesByName lists the resources in the order of their names.
var resourcesByName = func() []Resource {
	rs := Resources()
	slices.SortFunc(rs, func(a, b Resource) int { return strings.Compare(a.String(), b.String()) })
	return rs
}()

// UnmarshalJSON decodes the form MarshalJSON writes, refusing unknown names.
func (p *Permissions) UnmarshalJSON(b []byte) error {
	var m map[string][]string
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	var out Permissions
	for _, n := range names {
		r, err := LookupResource(n)
		if err != nil {
			return err
		}
		for _, s := range m[n] {
			mode, err := ParseMode(s)
			if err != nil {
				return err
			}
			if err := out.Grant(r, mode); err != nil {
				return err
			}
		}
	}
	*p = out
	return nil
}
