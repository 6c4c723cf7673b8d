package testkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Leader returns the index in Members of the leader that every live member
// names, waiting up to timeout for them to agree (as after a leader's
// death). It asks each member through etcd's JSON gateway
// (POST /v3/maintenance/status), so it needs no etcd client.
func (c *EtcdCluster) Leader(timeout time.Duration) (int, error) {
	return c.waitLeader(timeout)
}

// KillLeader finds the leader (waiting up to 10 s for one), kills it with
// SIGKILL and returns its index in Members.
func (c *EtcdCluster) KillLeader(t testing.TB) int {
	t.Helper()
	i, err := c.Leader(10 * time.Second)
	if err != nil {
		t.Fatalf("find the etcd leader: %v", err)
	}
	c.Members[i].Kill()
	return i
}

func (c *EtcdCluster) waitLeader(timeout time.Duration) (int, error) {
	deadline := time.Now().Add(timeout)
	for {
		i, err := c.agreedLeader()
		if err == nil {
			return i, nil
		}
		if time.Now().After(deadline) {
			return -1, fmt.Errorf("no agreed etcd leader after %s: %w", timeout, err)
		}
		time.Sleep(50 * time.Millisecond) // one heartbeat; an election has no signal to wait on
	}
}

// agreedLeader asks every live member for its status.
func (c *EtcdCluster) agreedLeader() (int, error) {
	ids := map[string]int{}
	leader := ""
	for i, m := range c.Members {
		if !m.Alive() {
			continue
		}
		st, err := memberStatus(m.ClientAddr)
		if err != nil {
			return -1, fmt.Errorf("%s: %w", m.Name, err)
		}
		if st.Leader == "" || st.Leader == "0" || (leader != "" && st.Leader != leader) {
			return -1, errors.New("members do not agree on a leader")
		}
		leader = st.Leader
		ids[st.Header.MemberID] = i
	}
	i, ok := ids[leader]
	if !ok {
		return -1, errors.New("the leader named is not a live member")
	}
	return i, nil
}

// etcdStatus is the part of etcd's StatusResponse that Leader reads. The
// gateway writes 64-bit ids as decimal strings.
type etcdStatus struct {
	Header struct {
		MemberID string `json:"member_id"`
	} `json:"header"`
	Leader string `json:"leader"`
}

func memberStatus(addr string) (etcdStatus, error) {
	var st etcdStatus
	client := http.Client{Timeout: time.Second}
	resp, err := client.Post("http://"+addr+"/v3/maintenance/status", "application/json", strings.NewReader("{}"))
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return st, fmt.Errorf("status: %s", resp.Status)
	}
	return st, json.NewDecoder(resp.Body).Decode(&st)
}
