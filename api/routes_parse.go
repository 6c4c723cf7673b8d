package api

import (
	"errors"
	"fmt"
	"strings"

	"github.com/keyrack/keyrack/model"
)

// routesHeader is the first line the table must start with; checking it
// catches a column added or reordered upstream before it shifts every field.
const routesHeader = "method\tpath\tcontroller#action\tresource\ttracks_last_used"

// maxWordLen bounds a literal segment of the table, which lets the path
// check decode escaped segments into a fixed buffer instead of the heap.
const maxWordLen = 64

// parseRoutes reads a route table and builds its matcher. Every bad line is
// reported, each with its line number, so that one run of the tests lists
// everything to fix; any error means no table at all.
func parseRoutes(data string) (*routeTable, error) {
	t := newRouteTable()
	lines := strings.Split(data, "\n")
	if strings.TrimSuffix(lines[0], "\r") != routesHeader {
		return nil, fmt.Errorf("lago-routes.tsv line 1: header is %q, want %q", model.Printable(lines[0]), routesHeader)
	}
	var errs []error
	for i, line := range lines[1:] {
		lineNo := i + 2
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		r, segs, err := parseRouteLine(line)
		if err == nil {
			err = t.add(r, segs)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("lago-routes.tsv line %d: %w", lineNo, err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(t.routes) == 0 {
		return nil, errors.New("lago-routes.tsv: no routes")
	}
	return t, nil
}

// parseRouteLine checks one line of the table and splits its pattern.
func parseRouteLine(line string) (Route, []string, error) {
	f := strings.Split(line, "\t")
	if len(f) != 5 {
		return Route{}, nil, fmt.Errorf("%d fields, want 5 (method, path, controller#action, resource, tracks_last_used)", len(f))
	}
	method, pattern, resource, tracks := f[0], f[1], f[3], f[4]
	if _, ok := tableMethod(method); !ok {
		return Route{}, nil, fmt.Errorf("method %q: want one of GET, POST, PUT, PATCH, DELETE", model.Printable(method))
	}
	segs, err := splitPattern(pattern)
	if err != nil {
		return Route{}, nil, fmt.Errorf("path %q: %w", model.Printable(pattern), err)
	}
	res, err := model.LookupResource(resource)
	if err != nil {
		return Route{}, nil, err
	}
	r := Route{Method: method, Pattern: pattern, Resource: res, Mode: model.Write}
	if method == "GET" {
		r.Mode = model.Read
	}
	switch tracks {
	case "yes":
		r.TracksLastUsed = true
	case "no":
	default:
		return Route{}, nil, fmt.Errorf("tracks_last_used %q: want yes or no", model.Printable(tracks))
	}
	return r, segs, nil
}

// splitPattern splits a pattern such as /api/v1/customers/:external_id into
// its segments. Literals are kept to lower-case letters, digits, '_' and '-'
// so that they can never contain '%' or '.', which the request path check
// relies on.
func splitPattern(pattern string) ([]string, error) {
	if !strings.HasPrefix(pattern, "/") {
		return nil, errors.New("does not start with /")
	}
	segs := strings.Split(pattern[1:], "/")
	if len(segs) > maxSegments {
		return nil, fmt.Errorf("more than %d segments", maxSegments)
	}
	for _, s := range segs {
		word := strings.TrimPrefix(s, ":")
		if word == "" {
			return nil, errors.New("empty segment or parameter name")
		}
		if len(word) > maxWordLen {
			return nil, fmt.Errorf("segment longer than %d bytes", maxWordLen)
		}
		for _, c := range []byte(word) {
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
				return nil, fmt.Errorf("segment %q: want only a-z, 0-9, _ and -", model.Printable(s))
			}
		}
	}
	return segs, nil
}
