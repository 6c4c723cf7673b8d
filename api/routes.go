package api

import (
	_ "embed"
	"slices"
	"sync"

	"github.com/keyrack/keyrack/model"
)

// routesTSV is the Lago route table: method, path pattern, controller#action,
// resource, tracks_last_used. It is embedded so that the binary cannot run
// with a table other than the one its tests checked.
//
//go:embed lago-routes.tsv
var routesTSV string

// Route is one line of the Lago route table: what a request must be allowed
// to do for the API to serve it.
type Route struct {
	// Method is the route's HTTP method as the table spells it (GET, not HEAD).
	Method string
	// Pattern is the path from the table, with :name for parameters.
	Pattern string
	// Resource is the object the route reads or changes.
	Resource model.Resource
	// Mode is model.Read for GET (and so HEAD) routes, model.Write otherwise,
	// as Lago checks API key permissions.
	Mode model.Access
	// TracksLastUsed is false only where Lago does not record the key's last
	// use (event ingestion, too hot a path to write on every call).
	TracksLastUsed bool
}

// embeddedTable parses the table once, on first use, so that importing the
// package costs nothing for commands that never serve HTTP.
var embeddedTable = sync.OnceValues(func() (*routeTable, error) {
	return parseRoutes(routesTSV)
})

// MatchRoute finds the route that the Lago API would dispatch method and
// rawPath to. rawPath is the request target as a proxy forwards it (for
// example X-Forwarded-Uri): a query string, a fragment, one trailing slash
// and a final ".json" are ignored. HEAD matches GET routes and the method is
// compared without regard to case.
//
// When several routes match, the first in the table wins, as in Rails.
// Anything the API might route differently from keyrack is refused rather
// than guessed at: dot segments, empty segments, percent-encoded slashes,
// bad escapes, a percent-encoded segment that decodes to a word of the table
// (such as %63ustomers), more than 32 segments or 2048 bytes. The boolean is
// false when nothing matches, so that the caller refuses the request.
func MatchRoute(method, rawPath string) (Route, bool) {
	t, err := embeddedTable()
	if err != nil {
		// Fail closed: a broken table maps nothing. Routes reports the error
		// so that serve can refuse to start.
		return Route{}, false
	}
	return t.match(method, rawPath)
}

// Routes returns every route of the embedded table in file order, or the
// reasons the table does not parse. serve calls it at start-up so that a bad
// table stops the daemon instead of refusing every request.
func Routes() ([]Route, error) {
	t, err := embeddedTable()
	if err != nil {
		return nil, err
	}
	return slices.Clone(t.routes), nil
}
