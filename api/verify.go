package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/keyrack/keyrack/model"
)

// maxVerifyBody bounds a /v1/verify request body.
const maxVerifyBody = 1 << 20

// verifyRequest asks whether a token may do something, named either as a
// resource and a mode or as a Lago request's method and path (mapped as
// /auth maps them). Unknown fields are refused.
type verifyRequest struct {
	Token    *string `json:"token"`
	Resource string  `json:"resource"`
	Mode     string  `json:"mode"`
	Method   string  `json:"method"`
	Path     string  `json:"path"`
}

// verifyResponse is the answer, always with every field. Valid says the
// token authenticates; Allowed that it may do what was asked. Code is ""
// when allowed, "unauthorized" for an invalid token, else the 403 code
// /auth would send. Resource and Mode are what was checked ("" when a path
// maps to no route).
type verifyResponse struct {
	Valid    bool   `json:"valid"`
	Allowed  bool   `json:"allowed"`
	KeyID    string `json:"key_id"`
	KeyName  string `json:"key_name"`
	Resource string `json:"resource"`
	Mode     string `json:"mode"`
	Code     string `json:"code"`
}

// serveVerify answers POST /v1/verify with 200 and a verifyResponse, or
// with 400 and a message for a request it cannot read. A valid token marks
// its key used, except when method and path name event ingestion.
func (s *Server) serveVerify(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header()["Allow"] = []string{"POST"}
		writeJSON(w, http.StatusMethodNotAllowed, bodyMethodNotAllowed)
		return
	}
	req, status, msg := readVerifyRequest(w, r)
	if status != 0 {
		writeJSON(w, status, errorBody(status, msg))
		return
	}
	q, msg := req.question()
	if msg != "" {
		writeJSON(w, http.StatusBadRequest, errorBody(http.StatusBadRequest, msg))
		return
	}
	v := s.decide(r.Context(), *req.Token, q)
	s.logDecision(r.Context(), "verify", v, q, "")
	if v.status == http.StatusServiceUnavailable {
		writeJSON(w, v.status, bodyUnavailable)
		return
	}
	resp := verifyResponse{Valid: v.status != http.StatusUnauthorized, Allowed: v.status == http.StatusOK}
	if resp.Valid {
		resp.KeyID, resp.KeyName = v.key.ID, model.Printable(v.key.Name)
	}
	if q.mapped {
		resp.Resource, resp.Mode = q.resource.String(), q.mode.String()
	}
	switch {
	case !resp.Valid:
		resp.Code = "unauthorized"
	case v.denial != nil:
		resp.Code = v.denial.code
	}
	body, _ := json.Marshal(resp) // cannot fail: strings and bools only
	writeJSON(w, http.StatusOK, body)
}

// readVerifyRequest decodes exactly one JSON object of at most
// maxVerifyBody bytes. On failure it returns the status and a message that
// quotes nothing longer than a field name.
func readVerifyRequest(w http.ResponseWriter, r *http.Request) (verifyRequest, int, string) {
	var req verifyRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxVerifyBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(&req)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = errTrailingData
		}
	}
	var tooLarge *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
	case errors.As(err, &tooLarge):
		return req, http.StatusRequestEntityTooLarge, "body is larger than 1 MiB"
	case err == io.EOF:
		return req, http.StatusBadRequest, "body is empty: want a JSON object"
	case err == io.ErrUnexpectedEOF:
		return req, http.StatusBadRequest, "body is not valid JSON: it ends too early"
	case errors.As(err, &syntax):
		return req, http.StatusBadRequest, fmt.Sprintf("body is not valid JSON at byte %d: %s", syntax.Offset, syntax)
	case errors.As(err, &typ) && typ.Field != "":
		return req, http.StatusBadRequest, fmt.Sprintf("field %q must be a %s", typ.Field, typ.Type)
	case errors.As(err, &typ):
		return req, http.StatusBadRequest, "body must be a JSON object"
	case err == errTrailingData:
		return req, http.StatusBadRequest, "body has data after the JSON object"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return req, http.StatusBadRequest, "unknown field " + echo(name)
	default:
		return req, http.StatusBadRequest, "body cannot be read"
	}
	if req.Token == nil {
		return req, http.StatusBadRequest, `field "token" is required`
	}
	return req, 0, ""
}

var errTrailingData = errors.New("data after the JSON object")

// question turns the request into what decide checks, or a message saying
// why it cannot.
func (req verifyRequest) question() (question, string) {
	byResource := req.Resource != "" || req.Mode != ""
	byRoute := req.Method != "" || req.Path != ""
	switch {
	case byResource && byRoute:
		return question{}, `give "resource" and "mode", or "method" and "path", not both`
	case byRoute:
		if req.Method == "" || req.Path == "" {
			return question{}, `"method" and "path" go together`
		}
		return routeQuestion(MatchRoute(req.Method, req.Path)), ""
	case !byResource:
		return question{}, `give "resource" and "mode" (read or write), or "method" and "path"`
	}
	res, err := model.LookupResource(req.Resource)
	if err != nil {
		return question{}, "unknown resource " + echo(req.Resource)
	}
	mode, err := model.ParseMode(req.Mode)
	if err != nil {
		return question{}, "unknown mode " + echo(req.Mode) + " (want read or write)"
	}
	return question{resource: res, mode: mode, mapped: true, tracksLastUsed: true}, ""
}

// echo quotes a name the caller sent for an error message, if it looks
// like a name: a token sent in the wrong field must not come back in a
// body that proxies and clients may log.
func echo(s string) string {
	if len(s) > maxEchoed {
		return "(not repeated)"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '+') {
			return "(not repeated)"
		}
	}
	return strconv.Quote(s)
}

// maxEchoed is the longest name echo repeats: longer than every field,
// resource and mode name, shorter than a token.
const maxEchoed = 32

func errorBody(status int, msg string) []byte {
	b, _ := json.Marshal(struct {
		Status  int    `json:"status"`
		Error   string `json:"error"`
		Message string `json:"message"`
	}{status, http.StatusText(status), msg})
	return b
}
