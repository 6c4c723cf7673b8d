package api

import (
	"strings"
	"testing"

	"github.com/keyrack/keyrack/model"
)

// tsvLine is one route as the test reads the table itself, independently
// of parseRoutes, so that a parser bug cannot hide behind its own output.
type tsvLine struct {
	no                                int
	method, pattern, resource, tracks string
}

func tableLines(t testing.TB) []tsvLine {
	t.Helper()
	var lines []tsvLine
	for i, l := range strings.Split(strings.TrimSuffix(routesTSV, "\n"), "\n")[1:] {
		f := strings.Split(l, "\t")
		if len(f) != 5 {
			t.Fatalf("line %d: %d fields", i+2, len(f))
		}
		lines = append(lines, tsvLine{i + 2, f[0], f[1], f[3], f[4]})
	}
	return lines
}

// concretePath fills every parameter of pattern with a sample value.
func concretePath(pattern string) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			segs[i] = "abc123"
		}
	}
	return strings.Join(segs, "/")
}

func mustTable(t testing.TB, tsv string) *routeTable {
	t.Helper()
	tbl, err := parseRoutes(tsv)
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

func TestEmbeddedRoutesParseWithoutErrors(t *testing.T) {
	tbl, err := parseRoutes(routesTSV)
	if err != nil {
		t.Fatalf("embedded lago-routes.tsv: %v", err)
	}
	if got := len(tbl.routes); got != 292 {
		t.Errorf("parsed %d routes, want 292", got)
	}
	routes, err := Routes()
	if err != nil || len(routes) != 292 {
		t.Fatalf("Routes() = %d routes, %v; want 292, nil", len(routes), err)
	}
	var untracked []string
	for _, r := range routes {
		if !r.TracksLastUsed {
			untracked = append(untracked, r.Method+" "+r.Pattern)
		}
	}
	if len(untracked) != 1 || untracked[0] != "POST /api/v1/events" {
		t.Errorf("routes not tracking last use: %q, want only POST /api/v1/events", untracked)
	}
}

func TestMatchRouteFindsEveryLineOfTheTable(t *testing.T) {
	variants := []string{"", "?page=2", ".json", ".json?page=2", "/", "/?page=2", "#top", "?a=/b/../c#d"}
	for _, l := range tableLines(t) {
		res, err := model.LookupResource(l.resource)
		if err != nil {
			t.Fatalf("line %d: %v", l.no, err)
		}
		want := Route{Method: l.method, Pattern: l.pattern, Resource: res, Mode: model.Write, TracksLastUsed: l.tracks == "yes"}
		methods := []string{l.method, strings.ToLower(l.method)}
		if l.method == "GET" {
			want.Mode = model.Read
			methods = append(methods, "HEAD", "head")
		}
		path := concretePath(l.pattern)
		for _, m := range methods {
			for _, v := range variants {
				got, ok := MatchRoute(m, path+v)
				if !ok || got != want {
					t.Errorf("line %d: MatchRoute(%q, %q) = %+v, %v; want %+v", l.no, m, path+v, got, ok, want)
				}
			}
		}
	}
}

func TestMatchRouteRefusesWhatNoRouteServes(t *testing.T) {
	long := "/api/v1/customers/" + strings.Repeat("a", maxPathLen)
	deep := "/api/v1/customers/abc123" + strings.Repeat("/invoices", maxSegments)
	for _, tc := range []struct{ name, method, path string }{
		{"unknown path", "GET", "/api/v1/nope"},
		{"version root", "GET", "/api/v1/"},
		{"version root without slash", "GET", "/api/v1"},
		{"root", "GET", "/"},
		{"empty path", "GET", ""},
		{"double slash", "GET", "//"},
		{"empty segment", "GET", "/api//v1/customers"},
		{"two trailing slashes", "GET", "/api/v1/customers//"},
		{"only .json", "GET", "/.json"},
		{"POST on a GET-only path", "POST", "/api/v1/activity_logs"},
		{"DELETE on a GET-only path", "DELETE", "/api/v1/activity_logs/abc123"},
		{"HEAD on a POST-only path", "HEAD", "/api/v1/customers/abc123/checkout_url"},
		{"unknown method", "OPTIONS", "/api/v1/customers"},
		{"empty method", "", "/api/v1/customers"},
		{"method with a suffix", "GETS", "/api/v1/customers"},
		{"method with a Unicode long s", "POſT", "/api/v1/customers"},
		{"longer than the limit", "GET", long},
		{"more segments than the limit", "GET", deep},
		{"no leading slash", "GET", "api/v1/customers"},
		{"absolute URI", "GET", "http://lago.example/api/v1/customers"},
		{"asterisk", "OPTIONS", "*"},
		{"upper-case literal", "GET", "/API/v1/customers"},
		{"dot-dot segment", "GET", "/api/v1/customers/../invoices"},
		{"dot segment", "GET", "/api/v1/./customers"},
		{"escaped dot-dot", "GET", "/api/v1/customers/%2e%2E/invoices"},
		{"half-escaped dot-dot", "GET", "/api/v1/customers/.%2e/invoices"},
		{"escaped slash", "GET", "/api/v1/customers/a%2Fb"},
		{"escaped slash, lower case", "DELETE", "/api/v1/customers/a%2fwallets%2fw%2fmetadata"},
		{"bad escape", "GET", "/api/v1/customers/%zz"},
		{"cut escape", "GET", "/api/v1/customers/abc%2"},
		{"lone percent", "GET", "/api/v1/customers/abc%"},
		{"escaped literal", "GET", "/api/v1/%63ustomers"},
		{"escaped literal in a parameter place", "GET", "/api/v1/customers/portal%5Furl"},
		{"escaped literal with a format", "GET", "/api/v1/customers/invoice%73.xml"},
		{"literal with another format", "GET", "/api/v1/organizations/grpc_token.xml"},
		{"literal before a dot in a parameter place", "GET", "/api/v1/customers/invoices.xml"},
		{"upper-case .JSON on a literal", "GET", "/api/v1/customers.JSON"},
		{"two .json", "GET", "/api/v1/customers.json.json"},
		{"space", "GET", "/api/v1/customers/a b"},
		{"tab", "GET", "/api/v1/customers/a\tb"},
		{"NUL", "GET", "/api/v1/customers\x00"},
	} {
		if got, ok := MatchRoute(tc.method, tc.path); ok {
			t.Errorf("%s: MatchRoute(%q, %q) = %s %s, want no match", tc.name, tc.method, tc.path, got.Method, got.Pattern)
		}
	}
}

func TestMatchRouteAcceptsEncodedAndUnusualParameters(t *testing.T) {
	atLimit := "/api/v1/customers/" + strings.Repeat("a", maxPathLen-len("/api/v1/customers/"))
	for _, tc := range []struct{ method, path, pattern string }{
		{"GET", "/api/v1/customers/john%40example.com", "/api/v1/customers/:external_id"},
		{"GET", "/api/v1/customers/a%20b/invoices", "/api/v1/customers/:customer_external_id/invoices"},
		{"GET", "/api/v1/customers/%E2%82%AC", "/api/v1/customers/:external_id"},
		{"GET", "/api/v1/customers/café", "/api/v1/customers/:external_id"},
		{"GET", "/api/v1/customers/abc.xml", "/api/v1/customers/:external_id"},
		{"GET", "/api/v1/customers/portal_url", "/api/v1/customers/:external_id"},
		{"GET", "/api/v1/customers/..abc", "/api/v1/customers/:external_id"},
		{"Delete", "/api/v1/customers/abc123.json?x=/../y", "/api/v1/customers/:external_id"},
		{"GET", atLimit, "/api/v1/customers/:external_id"},
		{"POST", "/api/v1/events/batch", "/api/v1/events/batch"},
		{"GET", "/api/v1/events/batch", "/api/v1/events/:id"},
	} {
		got, ok := MatchRoute(tc.method, tc.path)
		if !ok || got.Pattern != tc.pattern {
			t.Errorf("MatchRoute(%q, %q) = %q, %v; want %q", tc.method, tc.path, got.Pattern, ok, tc.pattern)
		}
	}
}

// patternMatches is the obvious matcher: one segment against one segment.
func patternMatches(pattern string, segs []string) bool {
	ps := strings.Split(pattern[1:], "/")
	if len(ps) != len(segs) {
		return false
	}
	for i, p := range ps {
		if !strings.HasPrefix(p, ":") && p != segs[i] {
			return false
		}
	}
	return true
}

// naiveMatch is the Rails rule spelled out: the first route of the file
// whose method and pattern fit. The trie must always agree with it.
func naiveMatch(tbl *routeTable, method, rawPath string) (Route, bool) {
	method = strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' {
			return r - ('a' - 'A')
		}
		return r
	}, method)
	if method == "HEAD" {
		method = "GET"
	}
	segs, ok := tbl.splitPath(rawPath, nil)
	if !ok {
		return Route{}, false
	}
	for _, r := range tbl.routes {
		if r.Method == method && patternMatches(r.Pattern, segs) {
			return r, true
		}
	}
	return Route{}, false
}

// The table has no two routes of one method that match the same path, so
// "literal beats parameter" and "first in the file wins" agree on it. This
// test keeps that checked if the table grows an overlap: each pair that can
// match one path must resolve to the earlier line.
func TestOverlappingRoutesResolveInFileOrder(t *testing.T) {
	tbl := mustTable(t, routesTSV)
	overlaps := 0
	for i, a := range tbl.routes {
		for _, b := range tbl.routes[i+1:] {
			as, bs := strings.Split(a.Pattern, "/"), strings.Split(b.Pattern, "/")
			if a.Method != b.Method || len(as) != len(bs) {
				continue
			}
			common, ok := commonPath(as, bs)
			if !ok {
				continue
			}
			overlaps++
			if got, _ := MatchRoute(a.Method, common); got.Pattern != a.Pattern {
				t.Errorf("%s %s: got %s, want the earlier %s (not %s)", a.Method, common, got.Pattern, a.Pattern, b.Pattern)
			}
		}
	}
	t.Logf("%d overlapping route pairs", overlaps)
}

// commonPath builds a path that both split patterns match, if there is one.
func commonPath(as, bs []string) (string, bool) {
	segs := make([]string, len(as))
	for i := range as {
		a, b := as[i], bs[i]
		switch {
		case !strings.HasPrefix(a, ":"):
			segs[i] = a
			if !strings.HasPrefix(b, ":") && a != b {
				return "", false
			}
		case !strings.HasPrefix(b, ":"):
			segs[i] = b
		default:
			segs[i] = "abc123"
		}
	}
	return strings.Join(segs, "/"), true
}

func TestFirstRouteInFileWinsOverMoreLiteralOne(t *testing.T) {
	const header = routesHeader + "\n"
	paramFirst := mustTable(t, header+
		"GET\t/a/:id\tx#show\tcustomer\tyes\n"+
		"GET\t/a/new\tx#new\tinvoice\tyes\n"+
		"GET\t/b/:x/c\tx#c\tplan\tyes\n"+
		"GET\t/b/lit/:y\tx#lit\ttax\tyes\n")
	literalFirst := mustTable(t, header+
		"GET\t/a/new\tx#new\tinvoice\tyes\n"+
		"GET\t/a/:id\tx#show\tcustomer\tyes\n")
	for _, tc := range []struct {
		tbl           *routeTable
		path, pattern string
	}{
		{paramFirst, "/a/new", "/a/:id"},
		{paramFirst, "/a/other", "/a/:id"},
		{paramFirst, "/b/lit/c", "/b/:x/c"},
		{paramFirst, "/b/lit/d", "/b/lit/:y"},
		{literalFirst, "/a/new", "/a/new"},
		{literalFirst, "/a/other", "/a/:id"},
	} {
		got, ok := tc.tbl.match("GET", tc.path)
		if !ok || got.Pattern != tc.pattern {
			t.Errorf("GET %s = %q, %v; want %q", tc.path, got.Pattern, ok, tc.pattern)
		}
	}
}

func TestMatchRouteDoesNotAllocate(t *testing.T) {
	for _, path := range []string{
		"/api/v1/customers/abc123/wallets/w1/alerts/a1?page=2",
		"/api/v1/customers/john%40example.com.json",
		"/api/v1/customers/" + strings.Repeat("x", 100) + ".y",
		"/api/v1/nope",
	} {
		if n := testing.AllocsPerRun(100, func() { MatchRoute("GET", path) }); n != 0 {
			t.Errorf("MatchRoute(GET, %q): %v allocations, want 0", path, n)
		}
	}
}

func FuzzRoute(f *testing.F) {
	for _, seed := range [][2]string{
		{"GET", "/api/v1/customers/abc/wallets/w1/alerts/a1"},
		{"HEAD", "/api/v1/events/abc"},
		{"post", "/api/v1/events?x=1"},
		{"DELETE", "/api/v2/plans/p/applied_rate_cards/c.json"},
		{"PUT", "/api/v1/invoices/abc/finalize/"},
		{"PATCH", "/api/v1/subscriptions/s/charges/c/filters/f#x"},
		{"GET", "/api/v1/customers/%63%2F%zz"},
		{"GET", "/api/v1/customers/../invoices"},
		{"GET", "//"},
		{"", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	tbl := mustTable(f, routesTSV)
	f.Fuzz(func(t *testing.T, method, path string) {
		got, ok := MatchRoute(method, path)
		want, wantOK := naiveMatch(tbl, method, path)
		if ok != wantOK || got != want {
			t.Fatalf("MatchRoute(%q, %q) = %+v, %v; file-order scan says %+v, %v", method, path, got, ok, want, wantOK)
		}
		if !ok {
			return
		}
		if int(got.Resource) >= model.ResourceCount {
			t.Fatalf("MatchRoute(%q, %q): resource %d out of range", method, path, got.Resource)
		}
		wantMode := model.Write
		if asciiEqualFold(method, "GET") || asciiEqualFold(method, "HEAD") {
			wantMode = model.Read
		}
		if got.Mode != wantMode {
			t.Fatalf("MatchRoute(%q, %q): mode %s, want %s", method, path, got.Mode, wantMode)
		}
		if again, ok := MatchRoute(method, path+"?fuzz=1"); !ok || again != got {
			t.Fatalf("MatchRoute(%q, %q) changed with a query string", method, path)
		}
	})
}

func BenchmarkMatchRoute(b *testing.B) {
	for _, bc := range []struct{ name, method, path string }{
		{"literal", "GET", "/api/v1/customers"},
		{"deep", "PATCH", "/api/v1/customers/cus_123/wallets/w_1/alerts/al_9"},
		{"query+json", "GET", "/api/v1/invoices/inv_123.json?page=2&per_page=50"},
		{"escaped", "GET", "/api/v1/customers/john%40example.com"},
		{"miss", "GET", "/api/v1/nothing/here"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				MatchRoute(bc.method, bc.path)
			}
		})
	}
}
