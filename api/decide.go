package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
)

// question is what a request asks of a token: a mode on a resource, or
// nothing grantable when its route is not mapped.
type question struct {
	resource       model.Resource
	mode           model.Access
	mapped         bool
	tracksLastUsed bool
}

// routeQuestion asks what route needs. A request whose route is unknown
// still counts as a use of its key: only event ingestion does not.
func routeQuestion(route Route, mapped bool) question {
	return question{
		resource:       route.Resource,
		mode:           route.Mode,
		mapped:         mapped,
		tracksLastUsed: !mapped || route.TracksLastUsed,
	}
}

// verdict is the answer to a question: 200, 401, 403 or 503, the key when
// the token is valid, and the denial when the status is 403.
type verdict struct {
	status int
	key    model.Key
	denial *denial
}

// decide authenticates raw and answers q. Everything /auth and /v1/verify
// decide goes through here. The token's format and checksum are checked
// before storage is asked, so a malformed token costs no lookup; the
// expiry is compared with this request's time by Authenticate. A valid
// token marks its key used before any permission check, as Lago does.
func (s *Server) decide(ctx context.Context, raw string, q question) verdict {
	tok, err := model.ParseCredential(raw)
	if err != nil {
		return verdict{status: http.StatusUnauthorized}
	}
	now := s.clock.Now()
	key, err := s.authenticate(ctx, tok, now)
	if errors.Is(err, storage.ErrUnauthorized) {
		return verdict{status: http.StatusUnauthorized}
	}
	if err != nil {
		s.log.Error("authenticate", "err", err)
		return verdict{status: http.StatusServiceUnavailable}
	}
	v := verdict{status: http.StatusOK, key: key}
	switch {
	case !q.mapped:
		v = verdict{status: http.StatusForbidden, key: key, denial: &notMapped}
	case !key.Permissions.Allows(q.resource, q.mode):
		v = verdict{status: http.StatusForbidden, key: key, denial: denialFor(q.resource, q.mode)}
	}
	s.used.record(key.ID, now, q, v.status == http.StatusOK)
	return v
}
