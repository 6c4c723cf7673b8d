package testkit

import "testing"

func TestBufferFromReturnsWhatWasWrittenAfterAMark(t *testing.T) {
	var b Buffer
	b.Write([]byte("before "))
	mark := b.Len()
	b.Write([]byte("after"))
	if got := b.From(mark); got != "after" {
		t.Errorf("From(mark) = %q, want %q", got, "after")
	}
	if got := b.String(); got != "before after" {
		t.Errorf("String() = %q", got)
	}
	if got := b.From(b.Len() + 1); got != "" {
		t.Errorf("From past the end = %q, want nothing", got)
	}
}
