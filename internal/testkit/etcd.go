package testkit

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Timings of the test cluster: a leader is elected, and re-elected after a
// kill -9, in about a second instead of etcd's default several seconds.
const (
	etcdHeartbeat = 50 * time.Millisecond  // --heartbeat-interval
	etcdElection  = 500 * time.Millisecond // --election-timeout (10 heartbeats, as etcd advises)
	etcdReady     = 15 * time.Second       // start to an agreed leader, at most
)

// EtcdCluster is a real etcd cluster on loopback, each member a process of
// Debian's /usr/bin/etcd (package etcd-server) with its own temporary data
// directory. It ends with the test: StartEtcdCluster registers the cleanup.
type EtcdCluster struct {
	Members []*EtcdMember
}

// EtcdMember is one member of an EtcdCluster.
type EtcdMember struct {
	Name       string // m0, m1, …
	ClientAddr string // 127.0.0.1:PORT, plain HTTP/gRPC, no TLS
	PeerAddr   string // 127.0.0.1:PORT
	DataDir    string
	proc       *Process
}

// StartEtcdCluster starts a cluster of size members and returns once the
// members agree on a leader (15 s at most per attempt). A member that dies at start
// (another process took its port) makes it start again on fresh ports,
// three times in all.
//
// Each member runs with:
//
//	--name mN --data-dir DIR/mN
//	--listen-client-urls http://127.0.0.1:C --advertise-client-urls http://127.0.0.1:C
//	--listen-peer-urls http://127.0.0.1:P --initial-advertise-peer-urls http://127.0.0.1:P
//	--initial-cluster m0=http://127.0.0.1:P0,m1=…  --initial-cluster-state new
//	--initial-cluster-token keyrack-test-C0   (unique per cluster)
//	--heartbeat-interval 50 --election-timeout 500   (milliseconds)
//	--logger zap --log-level warn
func StartEtcdCluster(t testing.TB, size int) *EtcdCluster {
	t.Helper()
	bin := Binary(t, "etcd", "etcd-server")
	var lastErr error
	for range startAttempts {
		c := startEtcdMembers(t, bin, size)
		_, err := c.waitLeader(etcdReady)
		if err == nil && !c.allAlive() {
			err = errors.New("a member exited")
		}
		if err == nil {
			return c
		}
		for _, m := range c.Members {
			m.Kill()
		}
		lastErr = fmt.Errorf("%w; member output:\n%s", err, c.output())
	}
	t.Fatalf("etcd cluster did not start: %v", lastErr)
	return nil
}

func startEtcdMembers(t testing.TB, bin string, size int) *EtcdCluster {
	dir := t.TempDir()
	ports := FreePorts(t, 2*size)
	c := &EtcdCluster{}
	var initial []string
	for i := range size {
		m := &EtcdMember{Name: "m" + strconv.Itoa(i), ClientAddr: Addr(ports[2*i]), PeerAddr: Addr(ports[2*i+1])}
		m.DataDir = filepath.Join(dir, m.Name)
		c.Members = append(c.Members, m)
		initial = append(initial, m.Name+"=http://"+m.PeerAddr)
	}
	for _, m := range c.Members {
		cmd := exec.Command(bin,
			"--name", m.Name, "--data-dir", m.DataDir,
			"--listen-client-urls", "http://"+m.ClientAddr, "--advertise-client-urls", "http://"+m.ClientAddr,
			"--listen-peer-urls", "http://"+m.PeerAddr, "--initial-advertise-peer-urls", "http://"+m.PeerAddr,
			"--initial-cluster", strings.Join(initial, ","), "--initial-cluster-state", "new",
			"--initial-cluster-token", "keyrack-test-"+strconv.Itoa(ports[0]),
			"--heartbeat-interval", strconv.Itoa(int(etcdHeartbeat/time.Millisecond)),
			"--election-timeout", strconv.Itoa(int(etcdElection/time.Millisecond)),
			"--logger", "zap", "--log-level", "warn")
		m.proc = Start(t, cmd, syscall.SIGTERM)
	}
	return c
}

// Endpoints are the members' client addresses (host:port), for a client's
// endpoint list or keyrack's etcd://… URL. Killed members stay listed, as
// they would in a real client's configuration.
func (c *EtcdCluster) Endpoints() []string {
	var eps []string
	for _, m := range c.Members {
		eps = append(eps, m.ClientAddr)
	}
	return eps
}

// Kill ends the member with SIGKILL (kill -9) and waits until it is gone.
func (m *EtcdMember) Kill() { m.proc.Kill() }

// Alive reports whether the member's process is still running.
func (m *EtcdMember) Alive() bool {
	select {
	case <-m.proc.Exited():
		return false
	default:
		return true
	}
}

func (c *EtcdCluster) allAlive() bool {
	for _, m := range c.Members {
		if !m.Alive() {
			return false
		}
	}
	return true
}

func (c *EtcdCluster) output() string {
	var b strings.Builder
	for _, m := range c.Members {
		fmt.Fprintf(&b, "--- %s\n%s", m.Name, m.proc.Output())
	}
	return b.String()
}
