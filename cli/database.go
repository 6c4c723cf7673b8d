package cli

import (
	"fmt"
	"strings"

	"github.com/keyrack/keyrack/storage"
	"github.com/keyrack/keyrack/storage/etcd"
)

// Environment variables of an etcd database's credentials: the password
// never appears on a command line nor in any output.
const (
	etcdUserEnv     = "KEYRACK_ETCD_USER"
	etcdPasswordEnv = "KEYRACK_ETCD_PASSWORD"
)

// database is what --db names, resolved in one place for every command
// (local ones and serve): a bbolt file, or an etcd cluster and how to
// reach it.
type database struct {
	path string       // the bbolt file; "" for an etcd cluster
	url  string       // etcd://…, as given; "" for a bbolt file
	etcd etcd.Options // endpoints, prefix, TLS and credentials (etcd only)
	// masterKey is KEYRACK_MASTER_KEY or --master-key-file, decoded; nil
	// leaves a bbolt file to its <db>.key.
	masterKey []byte
	keySource string // where masterKey came from, for messages
}

// needKey refuses an etcd database without a master key: there is no
// <db>.key beside a cluster.
func (d database) needKey() error {
	if d.url != "" && d.masterKey == nil {
		return fmt.Errorf("%s needs the master key, the same on every node: set %s (base64 of 32 bytes) or give --master-key-file PATH (a file of mode 0600); a new database gets it too", d.url, storage.MasterKeyEnv)
	}
	return nil
}

// String names the database in messages: its path or its URL.
func (d database) String() string {
	if d.url != "" {
		return d.url
	}
	return d.path
}

// database resolves --db (else KEYRACK_DB, else the default path) and the
// flags and variables that go with it. It reads the files they name and
// changes nothing.
func (a *app) database() (database, error) {
	name, source := a.db, "--db"
	if name == "" {
		name, source = a.getenv("KEYRACK_DB"), "KEYRACK_DB"
	}
	d, err := a.resolve(name, source)
	switch {
	case err != nil:
		return d, err
	case d.url == "":
		return d, a.refuseEtcdFlags()
	}
	return d, d.needKey()
}

// resolve reads name, given as source (a flag or a variable), as a
// database; "" is the default path.
func (a *app) resolve(name, source string) (database, error) {
	key, keySource, err := a.masterKey()
	if err != nil {
		return database{}, err
	}
	if !etcd.IsURL(name) {
		if name == "" {
			if name, err = storage.DefaultPath(); err != nil {
				return database{}, err
			}
		}
		return database{path: name, masterKey: key, keySource: keySource}, nil
	}
	endpoints, prefix, err := etcd.ParseURL(name)
	if err != nil && strings.HasPrefix(source, "--") {
		return database{}, usagef("%s %q: %s (want etcd://HOST:PORT[,HOST:PORT…][/PREFIX])", source, name, err)
	}
	if err != nil {
		return database{}, fmt.Errorf("%s %q: %s (want etcd://HOST:PORT[,HOST:PORT…][/PREFIX])", source, name, err)
	}
	d := database{url: name, masterKey: key, keySource: keySource,
		etcd: etcd.Options{Endpoints: endpoints, Prefix: prefix}}
	if d.etcd.TLS, err = a.etcdTLS(); err != nil {
		return database{}, err
	}
	d.etcd.Username, d.etcd.Password = a.getenv(etcdUserEnv), a.getenv(etcdPasswordEnv)
	if d.etcd.Username == "" && d.etcd.Password != "" {
		return database{}, fmt.Errorf("%s is set without %s", etcdPasswordEnv, etcdUserEnv)
	}
	return d, nil
}

// masterKey reads --master-key-file (refused when group or others may
// access it, as <db>.key is) or KEYRACK_MASTER_KEY; nil when neither is
// given. Both at once are refused: which one holds the right key would
// be a guess.
func (a *app) masterKey() (key []byte, source string, err error) {
	env := a.getenv(storage.MasterKeyEnv)
	switch {
	case a.masterKeyFile != "" && env != "":
		return nil, "", usagef("--master-key-file and %s are both given: give the master key once", storage.MasterKeyEnv)
	case a.masterKeyFile != "":
		key, err = storage.ReadMasterKeyFile(a.masterKeyFile)
		return key, "in " + a.masterKeyFile, err
	case env != "":
		key, err = storage.ParseMasterKey(env)
		return key, "in " + storage.MasterKeyEnv, err
	}
	return nil, "", nil
}

// refuseEtcdFlags refuses the etcd connection flags with a bbolt file,
// where they would be silently ignored.
func (a *app) refuseEtcdFlags() error {
	for _, f := range []struct{ name, value string }{{"etcd-ca", a.etcdCA}, {"etcd-cert", a.etcdCert}, {"etcd-key", a.etcdKey}} {
		if f.value != "" {
			return usagef("--%s applies to an etcd database (--db etcd://HOST:PORT…), not a bbolt file", f.name)
		}
	}
	return nil
}
