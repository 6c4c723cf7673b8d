package api

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// The methods the table uses, as indexes into routeTable.roots.
const (
	methodGet = iota
	methodPost
	methodPut
	methodPatch
	methodDelete
	methodCount
)

// methodNames spells each tree's method as the table does.
var methodNames = [methodCount]string{
	methodGet: "GET", methodPost: "POST", methodPut: "PUT",
	methodPatch: "PATCH", methodDelete: "DELETE",
}

// noRoute stands for "no route" in route indexes; being the largest value,
// it loses every "earlier in the file" comparison.
const noRoute = math.MaxInt32

// routeTable is a parsed table: one segment trie per method. It is never
// changed after parseRoutes returns, so requests read it without locks.
type routeTable struct {
	routes []Route
	roots  [methodCount]*routeNode
	// words holds every literal segment of every pattern, for refusing a
	// percent-encoded segment that a server might decode into one of them.
	words map[string]struct{}
}

// routeNode is one position in a pattern. Literal children are kept sorted
// for binary search; all parameters at a position share one child, since a
// parameter's name does not change what it matches.
type routeNode struct {
	literals []routeEdge
	param    *routeNode
	// route is the index of the route ending here, or noRoute.
	route int32
	// first is the smallest route index at or below this node. It lets the
	// search skip a branch that cannot beat a match already found.
	first int32
}

type routeEdge struct {
	word string
	next *routeNode
}

func newRouteNode() *routeNode { return &routeNode{route: noRoute, first: noRoute} }

func newRouteTable() *routeTable {
	t := &routeTable{words: make(map[string]struct{})}
	for i := range t.roots {
		t.roots[i] = newRouteNode()
	}
	return t
}

// add appends r, whose pattern is split into segs, to the table. Routes are
// added in file order, so a node's first index is the first route that
// reaches it.
func (t *routeTable) add(r Route, segs []string) error {
	idx := int32(len(t.routes))
	m, _ := tableMethod(r.Method)
	n := t.roots[m]
	n.first = min(n.first, idx)
	for _, s := range segs {
		if strings.HasPrefix(s, ":") {
			if n.param == nil {
				n.param = newRouteNode()
			}
			n = n.param
		} else {
			t.words[s] = struct{}{}
			n = n.literalOrAdd(s)
		}
		n.first = min(n.first, idx)
	}
	if n.route != noRoute {
		prev := t.routes[n.route]
		return fmt.Errorf("%s %s matches the same paths as %s %s above it", r.Method, r.Pattern, prev.Method, prev.Pattern)
	}
	n.route = idx
	t.routes = append(t.routes, r)
	return nil
}

func (n *routeNode) literalOrAdd(word string) *routeNode {
	i, found := slices.BinarySearchFunc(n.literals, word, func(e routeEdge, w string) int {
		return strings.Compare(e.word, w)
	})
	if !found {
		n.literals = slices.Insert(n.literals, i, routeEdge{word, newRouteNode()})
	}
	return n.literals[i].next
}

// literal finds the child for seg by binary search, without the closure
// that slices.BinarySearchFunc would need, as it runs on every request.
func (n *routeNode) literal(seg string) *routeNode {
	lo, hi := 0, len(n.literals)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if n.literals[mid].word < seg {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(n.literals) && n.literals[lo].word == seg {
		return n.literals[lo].next
	}
	return nil
}

// find returns the index of the first route in file order below n that
// matches segs, or best if none comes before best. It tries the literal
// child before the parameter one only because that usually finds the answer
// sooner; the result is the file-order winner either way.
func (n *routeNode) find(segs []string, best int32) int32 {
	if len(segs) == 0 {
		return min(n.route, best)
	}
	if c := n.literal(segs[0]); c != nil && c.first < best {
		best = c.find(segs[1:], best)
	}
	if c := n.param; c != nil && c.first < best {
		best = c.find(segs[1:], best)
	}
	return best
}

// match is MatchRoute for this table.
func (t *routeTable) match(method, rawPath string) (Route, bool) {
	m, ok := requestMethod(method)
	if !ok {
		return Route{}, false
	}
	var buf [maxSegments]string
	segs, ok := t.splitPath(rawPath, buf[:0])
	if !ok {
		return Route{}, false
	}
	idx := t.roots[m].find(segs, noRoute)
	if idx == noRoute {
		return Route{}, false
	}
	return t.routes[idx], true
}

// requestMethod maps a request method to its tree: case-insensitively, as
// proxies do not all upper-case the forwarded method, and HEAD to GET, as
// Rails serves HEAD with the GET route.
func requestMethod(method string) (int, bool) {
	if asciiEqualFold(method, "HEAD") {
		return methodGet, true
	}
	for m, name := range methodNames {
		if asciiEqualFold(method, name) {
			return m, true
		}
	}
	return 0, false
}

// asciiEqualFold is strings.EqualFold for ASCII letters only: Unicode
// folding would take "POſT" (long s) for POST, a method no server has.
func asciiEqualFold(s, upper string) bool {
	if len(s) != len(upper) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != upper[i] {
			return false
		}
	}
	return true
}

// tableMethod maps a method of the table, which must be upper case, to its
// tree.
func tableMethod(method string) (int, bool) {
	m := slices.Index(methodNames[:], method)
	return m, m >= 0
}
