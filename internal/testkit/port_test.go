package testkit

import (
	"errors"
	"net"
	"testing"
	"time"
)

func TestWaitListeningSeesAListenerAndAnExit(t *testing.T) {
	ports := FreePorts(t, 2)
	if ports[0] == ports[1] {
		t.Fatalf("FreePorts returned %v twice", ports[0])
	}
	ln, err := net.Listen("tcp", Addr(ports[0]))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := WaitListening(Addr(ports[0]), time.Second, nil); err != nil {
		t.Fatalf("a listening port: %v", err)
	}
	exited := make(chan struct{})
	close(exited)
	if err := WaitListening(Addr(ports[1]), time.Minute, exited); !errors.Is(err, ErrExited) {
		t.Fatalf("a program that exited: %v, want ErrExited", err)
	}
}
