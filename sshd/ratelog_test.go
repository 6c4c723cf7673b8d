package sshd

import (
	"strings"

	gossh "golang.org/x/crypto/ssh"
	"testing"
	"time"
)

func TestRateLogLetsABurstThroughThenSumsUpTheRest(t *testing.T) {
	summed := make(chan int, 1)
	r := newRateLog(50*time.Millisecond, 2, func(n int) { summed <- n })
	var allowed int
	for range 1000 {
		if r.allow() {
			allowed++
		}
	}
	select {
	case n := <-summed:
		if allowed+n != 1000 || allowed < 2 {
			t.Errorf("%d lines and a summary of %d for 1,000 events", allowed, n)
		}
		if allowed > 2*int(1+time.Since(r.start)/r.every) {
			t.Errorf("%d lines let through", allowed)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no summary line")
	}
}

func TestLoginRefusalsFloodLeavesFewLines(t *testing.T) {
	ts := startServer(t)
	stranger := newSigner(t)
	mark := ts.logs.Len()
	for range refusalLogBurst + 10 {
		if c, err := ts.dial(gossh.PublicKeys(stranger)); err == nil {
			c.Close()
			t.Fatal("a stranger logged in")
		}
	}
	if n := strings.Count(ts.logs.From(mark), `msg="ssh login refused"`); n > refusalLogBurst {
		t.Errorf("%d refusal lines for %d attempts, want at most %d per %s", n, refusalLogBurst+10, refusalLogBurst, refusalLogEvery)
	}
}
