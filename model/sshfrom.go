package model

import (
	"fmt"
	"net/netip"
	"path"
	"strings"
)

// parseFromPatterns checks a from="…" list: addresses, CIDR blocks and
// wildcard patterns over addresses (* and ?), each optionally negated with
// !. Host names are refused: keyrack does no DNS lookups (like OpenSSH's
// default UseDNS no), so a name would never match.
func parseFromPatterns(list string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(list, ",") {
		bare := strings.TrimPrefix(p, "!")
		switch {
		case bare == "":
			return nil, fmt.Errorf("option from=%q: empty pattern", Printable(list))
		case strings.Contains(bare, "/"):
			pfx, err := netip.ParsePrefix(bare)
			if err != nil {
				return nil, fmt.Errorf("option from=: %q is not a CIDR block", Printable(bare))
			}
			if pfx.Masked() != pfx {
				return nil, fmt.Errorf("option from=: %q has host bits set (did you mean %s?)", bare, pfx.Masked())
			}
		case strings.Trim(bare, "0123456789abcdefABCDEF.:*?") != "":
			return nil, fmt.Errorf("option from=: %q is a host name; give addresses or CIDR blocks (keyrack does no DNS lookups)", Printable(bare))
		}
		out = append(out, p)
	}
	return out, nil
}

// AllowsFrom reports whether the key may log in from addr: OpenSSH's rule,
// a matching negated pattern refuses, otherwise some pattern must match.
// A key without from= is allowed from anywhere.
func (k AuthorizedKey) AllowsFrom(addr netip.Addr) bool {
	if len(k.From) == 0 {
		return true
	}
	addr = addr.Unmap()
	matched := false
	for _, p := range k.From {
		bare, negated := strings.CutPrefix(p, "!")
		if !patternMatches(bare, addr) {
			continue
		}
		if negated {
			return false
		}
		matched = true
	}
	return matched
}

func patternMatches(p string, addr netip.Addr) bool {
	if strings.Contains(p, "/") {
		pfx, err := netip.ParsePrefix(p)
		return err == nil && pfx.Contains(addr)
	}
	// path.Match's * and ? are OpenSSH's wildcards here: an address has
	// no slash, so * spans any run of characters.
	ok, err := path.Match(strings.ToLower(p), addr.String())
	return err == nil && ok
}
