package api

import (
	"net/http"
	"strconv"

	"github.com/keyrack/keyrack/model"
)

// Bodies of the fixed answers, as Lago's API words them.
var (
	bodyUnauthorized = []byte(`{"status":401,"error":"Unauthorized"}`)
	bodyNotFound     = []byte(`{"status":404,"error":"Not Found"}`)
	bodyUnavailable  = []byte(`{"status":503,"error":"Service Unavailable"}`)
)

// denial is one reason for a 403: its code and the body that carries it.
type denial struct {
	code string
	body []byte
}

func newDenial(code string) denial {
	return denial{code: code, body: []byte(`{"status":403,"error":"Forbidden","code":"` + code + `"}`)}
}

var notMapped = newDenial("route_not_mapped")

// denials holds every "<mode>_action_not_allowed_for_<resource>" answer,
// built once so that a refusal costs no formatting.
var denials = func() (d [model.ResourceCount][2]denial) {
	for _, r := range model.Resources() {
		d[r][0] = newDenial("read_action_not_allowed_for_" + r.String())
		d[r][1] = newDenial("write_action_not_allowed_for_" + r.String())
	}
	return d
}()

func denialFor(r model.Resource, mode model.Access) *denial {
	if mode == model.Write {
		return &denials[r][1]
	}
	return &denials[r][0]
}

var (
	jsonType = []string{"application/json"}
	noStore  = []string{"no-store"}
)

// writeJSON sends a JSON body that no cache may keep: an auth decision is
// only true for the request it answers.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = jsonType
	h["Cache-Control"] = noStore
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	w.Write(body)
}

// headerValue makes a key name safe for a response header: the name was
// validated when it was set, but a header is no place to find out it was
// not. Control characters become U+FFFD, so no line break can end a header.
func headerValue(s string) string { return model.Printable(s) }

var bodyMethodNotAllowed = []byte(`{"status":405,"error":"Method Not Allowed"}`)
