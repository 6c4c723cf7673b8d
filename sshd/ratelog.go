package sshd

import (
	"sync"
	"time"
)

// How many refusals of each kind are logged one by one: refusalLogBurst
// lines per refusalLogEvery, then one summary.
const (
	refusalLogEvery = 10 * time.Second
	refusalLogBurst = 20
)

// rateLog lets at most burst lines of one kind through per interval and
// counts the rest; once the interval is over, one summary line says how
// many were left out. A flood of refused connections or logins costs a few
// lines a minute, not one per attempt.
type rateLog struct {
	every time.Duration
	burst int
	// summary writes the line for n events left out.
	summary func(n int)

	mu         sync.Mutex
	start      time.Time
	used       int
	suppressed int
	flushing   bool
}

func newRateLog(every time.Duration, burst int, summary func(n int)) *rateLog {
	return &rateLog{every: every, burst: burst, summary: summary}
}

// allow reports whether a line may be written now; if not, the event is
// counted for the summary.
func (r *rateLog) allow() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	if now.Sub(r.start) >= r.every {
		r.start, r.used = now, 0
	}
	if r.used < r.burst {
		r.used++
		return true
	}
	r.suppressed++
	if !r.flushing {
		r.flushing = true
		time.AfterFunc(r.every-now.Sub(r.start), r.flush)
	}
	return false
}

// flush writes the summary of what the interval left out.
func (r *rateLog) flush() {
	r.mu.Lock()
	n := r.suppressed
	r.suppressed, r.flushing = 0, false
	r.mu.Unlock()
	if n > 0 {
		r.summary(n)
	}
}
