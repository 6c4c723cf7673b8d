package api

import "strings"

// Limits on a request path. No Lago route comes near them; they bound the
// work an unauthenticated caller can make keyrack do.
const (
	maxPathLen  = 2048
	maxSegments = 32
)

// splitPath cuts rawPath into the segments to match, appending them to segs
// (a caller's stack buffer, so that matching does not allocate). It returns
// false for a path that must match nothing; see MatchRoute for the rules.
func (t *routeTable) splitPath(rawPath string, segs []string) ([]string, bool) {
	p := rawPath
	for i := 0; i < len(p); i++ {
		if p[i] == '?' || p[i] == '#' {
			p = p[:i]
			break
		}
	}
	// Only origin-form targets: an absolute URI or "*" is not a Lago path.
	if len(p) < 2 || p[0] != '/' || len(p) > maxPathLen {
		return nil, false
	}
	// The order is Rails': the trailing slash goes first, then the format.
	p = strings.TrimSuffix(p[1:], "/")
	p = strings.TrimSuffix(p, ".json")
	for {
		seg, rest, more := strings.Cut(p, "/")
		if len(segs) == maxSegments || !t.plainSegment(seg, !more) {
			return nil, false
		}
		segs = append(segs, seg)
		if !more {
			return segs, true
		}
		p = rest
	}
}

// plainSegment reports whether seg can be matched as it stands, that is
// whether every server between the client and Lago would read it the way
// keyrack does. Rails matches routes on the raw path, while a proxy may
// decode escapes or resolve dot segments first; keyrack matches the raw
// segment too and refuses the segments whose reading depends on that
// choice: empty and dot segments, bad escapes, an escaped '/', and escapes
// that spell a literal of the table (a decoding proxy would see the literal,
// Rails a parameter). In the last segment, a word of the table before a '.'
// is refused as well, since Rails would take the rest for a format.
func (t *routeTable) plainSegment(seg string, last bool) bool {
	if seg == "" || seg == "." || seg == ".." {
		return false
	}
	escaped := false
	for i := 0; i < len(seg); i++ {
		switch c := seg[i]; {
		case c <= ' ' || c == 0x7f:
			// Cannot appear in a request line, so the header was not
			// copied from one.
			return false
		case c == '%':
			escaped = true
		}
	}
	if !escaped {
		return !last || !wordBeforeDot(t, seg)
	}
	var buf [maxWordLen + 1]byte
	n, ok := unescapeSegment(seg, buf[:])
	dec := buf[:n]
	if !ok || string(dec) == "." || string(dec) == ".." || t.isWord(dec) {
		return false
	}
	return !last || !wordBeforeDot(t, dec)
}

// isWord reports whether b is a literal of the table. It takes bytes so that
// a decoded segment is looked up without being copied to a string.
func (t *routeTable) isWord(b []byte) bool {
	_, ok := t.words[string(b)]
	return ok
}

// wordBeforeDot reports whether s has a '.' after a literal of the table.
// It serves raw segments and decoded ones alike without converting either.
func wordBeforeDot[S string | []byte](t *routeTable, s S) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			_, ok := t.words[string(s[:i])]
			return ok
		}
	}
	return false
}

// unescapeSegment checks the escapes of seg, decodes it into buf and
// returns the decoded length. It returns false for a malformed escape or an escaped '/', which would split
// the segment in two for a server that decodes before routing. Only the
// first len(buf) decoded bytes are kept: the result is compared with the
// table's literals, and anything longer than the longest of them, cut
// short, still fails to be one as long as buf is one byte longer.
func unescapeSegment(seg string, buf []byte) (int, bool) {
	n := 0
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c == '%' {
			if i+2 >= len(seg) || !isHex(seg[i+1]) || !isHex(seg[i+2]) {
				return 0, false
			}
			c = unhex(seg[i+1])<<4 | unhex(seg[i+2])
			if c == '/' {
				return 0, false
			}
			i += 2
		}
		if n < len(buf) {
			buf[n] = c
			n++
		}
	}
	return n, true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
