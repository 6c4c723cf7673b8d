package storage

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a refusal with a stable code that scripts and the HTTP side can rely on.
type Error struct {
	Code string
	Msg  string
}

// Error returns the message, which names what was refused and why.
func (e *Error) Error() string { return e.Msg }

// Is matches errors by code, so errors.Is(err, ErrLastActiveKey) works on wrapped copies.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Refusals returned by the operations.
var (
	ErrLastActiveKey  = &Error{Code: "last_non_expiring_api_key", Msg: "cannot delete the last active key"}
	ErrNotFound       = &Error{Code: "not_found", Msg: "not found"}
	ErrAlreadyRotated = &Error{Code: "already_rotated", Msg: "already rotated"}
	ErrNotExpiring    = &Error{Code: "not_expiring", Msg: "key is not expiring"}
	ErrUnauthorized   = &Error{Code: "unauthorized", Msg: "unknown or expired token"}
	ErrInUse          = &Error{Code: "in_use", Msg: "database is in use by another keyrack process"}
	ErrMasterKey      = &Error{Code: "master_key", Msg: "master key missing or wrong"}
	ErrAmbiguous      = &Error{Code: "ambiguous", Msg: "ambiguous id prefix"}
	ErrExists         = &Error{Code: "exists", Msg: "already exists"}
	ErrNoDatabase     = &Error{Code: "no_database", Msg: "no database at this path"}
	ErrDamaged        = &Error{Code: "damaged", Msg: "database is damaged"}
	ErrDisabled       = &Error{Code: "disabled", Msg: "key is disabled"}
	ErrPolicy         = &Error{Code: "policy", Msg: "refused by the lifetime policy"}
	ErrNotOnEtcd      = &Error{Code: "not_on_etcd", Msg: "not available on etcd"}
)

// boltOnly refuses op, maintenance of a bbolt file, on etcd, saying what
// to run there instead.
func (s *Store) boltOnly(op, instead string) error {
	if s.file != nil {
		return nil
	}
	return coded(ErrNotOnEtcd, "%s: not available on etcd: %s (see README)", op, instead)
}

func coded(base *Error, format string, args ...any) error {
	return &Error{Code: base.Code, Msg: fmt.Sprintf(format, args...)}
}

// Code returns the stable code of a refusal, or "" for other errors.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// shownCandidates is how many matching ids an ambiguous prefix's error names.
const shownCandidates = 10

func ambiguous(prefix string, ids []string) error {
	more := ""
	if len(ids) > shownCandidates {
		ids, more = ids[:shownCandidates], ", …"
	}
	return coded(ErrAmbiguous, "id prefix %q is ambiguous: it matches %s%s", prefix, strings.Join(ids, ", "), more)
}
