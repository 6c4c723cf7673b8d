package testkit

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// stopGrace is how long a program gets to end after its stop signal before
// it is killed.
const stopGrace = 5 * time.Second

// Process is a program started by Start; it ends with the test.
type Process struct {
	cmd    *exec.Cmd
	out    *Buffer
	exited chan struct{}
}

// Start starts cmd with its stdout and stderr captured (see Output) and,
// when the test ends, sends it stop (SIGKILL when stop is nil) and kills it
// if it has not ended within 5 s.
func Start(t testing.TB, cmd *exec.Cmd, stop os.Signal) *Process {
	t.Helper()
	p := &Process{cmd: cmd, out: &Buffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	go func() { cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() { p.Stop(stop) })
	return p
}

// Stop sends sig (SIGKILL when nil), waits up to 5 s, then kills the
// program and waits for it to end. It may be called more than once.
func (p *Process) Stop(sig os.Signal) {
	if sig == nil {
		sig = syscall.SIGKILL
	}
	select {
	case <-p.exited:
		return
	default:
	}
	p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
	case <-time.After(stopGrace):
		p.cmd.Process.Kill()
		<-p.exited
	}
}

// Kill ends the program with SIGKILL (kill -9) and waits until it is gone.
func (p *Process) Kill() { p.Stop(syscall.SIGKILL) }

// Exited is closed when the program has ended.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Output is what the program has written to stdout and stderr so far.
func (p *Process) Output() string { return p.out.String() }
