package kv

import "errors"

var (
	// ErrStop, returned by a Scan callback, ends the scan without error.
	ErrStop = errors.New("stop scan")
	// ErrCompacted: the commits a stream was asked for are no longer known.
	ErrCompacted = errors.New("changes no longer available: reload")
	// ErrTooLarge: a write transaction exceeds the backend's Limits.
	ErrTooLarge = errors.New("transaction too large")
	// ErrFenced: a fenced write's leader has lost its election.
	ErrFenced = errors.New("leadership lost: write fenced off")
	// ErrClosed: the backend has been closed.
	ErrClosed = errors.New("backend closed")
)
