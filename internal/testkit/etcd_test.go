package testkit

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

func TestEtcdClusterKeepsAPutAcrossALeaderKill(t *testing.T) {
	c := StartEtcdCluster(t, 3)
	if len(c.Endpoints()) != 3 {
		t.Fatalf("endpoints %v", c.Endpoints())
	}
	if err := gatewayPut(c.Members[0].ClientAddr, "keyrack/probe", "before the kill"); err != nil {
		t.Fatal(err)
	}

	dead := c.KillLeader(t)
	if c.Members[dead].Alive() {
		t.Fatal("KillLeader returned with the leader still running")
	}
	next, err := c.Leader(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if next == dead {
		t.Fatalf("the killed member %d is still reported as leader", dead)
	}
	for i, m := range c.Members {
		if i == dead {
			continue
		}
		got, err := gatewayGet(m.ClientAddr, "keyrack/probe")
		if err != nil || got != "before the kill" {
			t.Fatalf("%s after the leader's kill: %q, %v", m.Name, got, err)
		}
	}
	// The two survivors still form a quorum: a write after the kill commits.
	survivor := c.Members[(dead+1)%3].ClientAddr
	if err := gatewayPut(survivor, "keyrack/probe", "after the kill"); err != nil {
		t.Fatal(err)
	}
	if got, err := gatewayGet(survivor, "keyrack/probe"); err != nil || got != "after the kill" {
		t.Fatalf("after a write on the survivors: %q, %v", got, err)
	}
}

// gatewayPut and gatewayGet talk to etcd's JSON gateway, so that this test
// needs no etcd client; keys and values travel base64-encoded.
func gatewayPut(addr, key, value string) error {
	_, err := gatewayCall(addr, "put", map[string]string{"key": b64(key), "value": b64(value)})
	return err
}

func gatewayGet(addr, key string) (string, error) {
	var r struct {
		Kvs []struct{ Value string } `json:"kvs"`
	}
	body, err := gatewayCall(addr, "range", map[string]string{"key": b64(key)})
	if err != nil {
		return "", err
	}
	if err := json.Unmarshal(body, &r); err != nil || len(r.Kvs) != 1 {
		return "", fmt.Errorf("range %s: %s", key, body)
	}
	v, err := base64.StdEncoding.DecodeString(r.Kvs[0].Value)
	return string(v), err
}

func gatewayCall(addr, op string, req map[string]string) ([]byte, error) {
	data, _ := json.Marshal(req)
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Post("http://"+addr+"/v3/kv/"+op, "application/json", bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: %s %s", op, addr, resp.Status, body)
	}
	return body, nil
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
