package api

import (
	"strings"
	"testing"
)

func TestParseRoutesRejectsBadLines(t *testing.T) {
	const good = "GET\t/api/v1/customers\tapi/v1/customers#index\tcustomer\tyes\n"
	for _, tc := range []struct{ name, tsv, wantErr string }{
		{"unknown resource", routesHeader + "\n" + good + "GET\t/api/v1/gizmos\tapi/v1/gizmos#index\tgizmo\tyes\n", `line 3: unknown resource "gizmo"`},
		{"missing header", good, "line 1: header"},
		{"four fields", routesHeader + "\nGET\t/api/v1/customers\tcustomer\tyes\n", "line 2: 4 fields"},
		{"HEAD in the table", routesHeader + "\nHEAD\t/api/v1/customers\tx#y\tcustomer\tyes\n", `line 2: method "HEAD"`},
		{"lower-case method", routesHeader + "\nget\t/api/v1/customers\tx#y\tcustomer\tyes\n", `line 2: method "get"`},
		{"bad tracks_last_used", routesHeader + "\nGET\t/api/v1/customers\tx#y\tcustomer\ttrue\n", `line 2: tracks_last_used "true"`},
		{"relative path", routesHeader + "\nGET\tapi/v1/customers\tx#y\tcustomer\tyes\n", "does not start with /"},
		{"trailing slash", routesHeader + "\nGET\t/api/v1/customers/\tx#y\tcustomer\tyes\n", "empty segment"},
		{"nameless parameter", routesHeader + "\nGET\t/api/v1/customers/:\tx#y\tcustomer\tyes\n", "empty segment or parameter name"},
		{"upper-case literal", routesHeader + "\nGET\t/api/v1/Customers\tx#y\tcustomer\tyes\n", `segment "Customers"`},
		{"format in the pattern", routesHeader + "\nGET\t/api/v1/customers.json\tx#y\tcustomer\tyes\n", `segment "customers.json"`},
		{"same shape twice", routesHeader + "\nGET\t/a/:id\tx#y\tcustomer\tyes\nGET\t/a/:code\tx#z\tinvoice\tyes\n", "line 3: GET /a/:code matches the same paths as GET /a/:id"},
		{"no routes", routesHeader + "\n", "no routes"},
	} {
		_, err := parseRoutes(tc.tsv)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%s: parseRoutes error %v, want one containing %q", tc.name, err, tc.wantErr)
		}
	}
}

func TestParseRoutesReportsEveryBadLine(t *testing.T) {
	tsv := routesHeader + "\n" +
		"GET\t/a\tx#y\tgizmo\tyes\n" +
		"GET\t/b\tx#y\tcustomer\tyes\n" +
		"GET\t/c\tx#y\twidget\tyes\n"
	_, err := parseRoutes(tsv)
	if err == nil || !strings.Contains(err.Error(), "line 2:") || !strings.Contains(err.Error(), "line 4:") {
		t.Errorf("parseRoutes error %v, want lines 2 and 4 reported", err)
	}
}

func TestParseRoutesAcceptsCRLF(t *testing.T) {
	tbl, err := parseRoutes(strings.ReplaceAll(routesTSV, "\n", "\r\n"))
	if err != nil || len(tbl.routes) != 292 {
		t.Fatalf("CRLF table: %v", err)
	}
}
