package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	kvbolt "github.com/keyrack/keyrack/storage/bolt"
	"github.com/keyrack/keyrack/storage/kv"
	"github.com/spf13/cobra"
)

func (a *app) migrateCommand() *cobra.Command {
	var from, to string
	c := &cobra.Command{
		Use:   "migrate --from PATH|etcd://… --to PATH|etcd://…",
		Short: "copy a whole database to another backend: a bbolt file or an etcd cluster",
		Long: `migrate copies everything (keys with their sealed secrets, indexes, members,
audit log, outbox) from one database to another in bounded chunks, then
checks the counts and opens the copy with the master key. The target must be
empty: a new file, or an etcd prefix that holds nothing. The master key does
not change: from a bbolt file it is <db>.key, KEYRACK_MASTER_KEY or
--master-key-file; an etcd side needs KEYRACK_MASTER_KEY or --master-key-file.
A new bbolt target gets <target>.key (0600) when the source's key was
<db>.key; otherwise give it the same key the same way. Stop every keyrack
serve on the source first: a bbolt file held by one is refused, and writes
to an etcd source during the copy would be missed.`,
		Args: exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			if a.env.Remote {
				return usagef("migrate cannot run over SSH: run it where the databases are, with serve stopped")
			}
			if from == "" || to == "" {
				return usagef("migrate needs --from and --to")
			}
			src, err := a.resolve(from, "--from")
			if err != nil {
				return err
			}
			dst, err := a.resolve(to, "--to")
			if err != nil {
				return err
			}
			if dst.masterKey == nil && dst.url != "" && src.url == "" {
				// An etcd target takes the key of the file it is copied from.
				if dst.masterKey, err = storage.ReadMasterKeyFile(src.path + ".key"); err != nil {
					return err
				}
				dst.keySource = "in " + src.path + ".key"
			}
			if src.String() == dst.String() {
				return usagef("--from and --to name the same database")
			}
			if src.url == "" && dst.url == "" {
				if err := a.refuseEtcdFlags(); err != nil {
					return err
				}
			}
			return a.migrate(src, dst)
		},
	}
	c.Flags().StringVar(&from, "from", "", "the database to copy: a bbolt file or etcd://HOST:PORT[,…][/PREFIX]")
	c.Flags().StringVar(&to, "to", "", "the empty database to copy it to: a new file or an empty etcd prefix")
	return c
}

// migrate copies src into the empty dst and checks that the copy opens.
func (a *app) migrate(src, dst database) error {
	if err := refuseExistingFile(dst); err != nil {
		return err
	}
	st, err := a.open(src, storage.Options{Actor: a.env.Actor, MustExist: true})
	if errors.Is(err, storage.ErrNoDatabase) {
		return fmt.Errorf("--from %s: no database there", src)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	target, err := a.openTarget(dst)
	if err != nil {
		return err
	}
	n, err := kv.Copy(context.Background(), st.Backend(), target, storage.Buckets())
	target.Close()
	if err != nil {
		return a.migrateFailed(dst, n, err)
	}
	keyNote, err := giveMasterKey(src, dst)
	if err != nil {
		return a.migrateFailed(dst, n, err)
	}
	copied, err := a.open(dst, storage.Options{Actor: a.env.Actor, MustExist: true})
	if err != nil {
		return a.migrateFailed(dst, n, fmt.Errorf("the copy does not open: %w", err))
	}
	defer copied.Close()
	keys, err := copied.Keys()
	if err != nil {
		return err
	}
	members, err := copied.Members()
	if err != nil {
		return err
	}
	audit, err := copied.AuditCount()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.env.Stdout, "migrated %s from %s to %s: organization %q, %s, %s, %s\n%s\n",
		model.Count(n, "record", "records"), model.Printable(src.String()), model.Printable(dst.String()), model.Printable(copied.Organization()),
		model.Count(keys.Len(), "key", "keys"), model.Count(len(members), "member", "members"), model.Count(audit, "audit entry", "audit entries"), keyNote)
	return nil
}

// refuseExistingFile refuses a bbolt target that exists: migrate writes a
// new file (and its key file) and never touches one that is there.
func refuseExistingFile(dst database) error {
	if dst.url != "" {
		return nil
	}
	for _, p := range []string{dst.path, dst.path + ".key"} {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("--to %s: %s already exists; migrate only writes a new database", dst.path, p)
		}
	}
	return nil
}

// openTarget opens the target backend: a new bbolt file, or the cluster.
func (a *app) openTarget(dst database) (kv.Backend, error) {
	if dst.url != "" {
		return connectEtcd(dst)
	}
	b, err := kvbolt.Open(dst.path, kvbolt.Options{})
	if err != nil {
		return nil, fmt.Errorf("--to: %w", err)
	}
	return b, nil
}

// migrateFailed says what is left after a failed copy: a new file (and
// key file) is removed; an etcd prefix keeps what was written, with how
// to clear it.
func (a *app) migrateFailed(dst database, copied int, err error) error {
	if dst.url == "" {
		os.Remove(dst.path + ".key") // only ever one this run wrote: it did not exist
		os.Remove(dst.path)
		return fmt.Errorf("migrate: %w (%s is removed)", err, dst.path)
	}
	if copied == 0 {
		return fmt.Errorf("migrate: %w (nothing was written to %s)", err, dst)
	}
	return fmt.Errorf("migrate: %w; %s holds %s of a partial copy: remove them (etcdctl del --prefix %s/) before trying again", err, dst, model.Count(copied, "record", "records"), dst.etcd.Prefix)
}

// giveMasterKey gives a new bbolt target the source's <db>.key, and says
// how the copy gets its master key.
func giveMasterKey(src, dst database) (string, error) {
	switch {
	case dst.url != "" && src.url == "" && src.masterKey == nil:
		return fmt.Sprintf("master key: the nodes on %s need %s.key: give them a copy as --master-key-file (or its content as %s)", dst, src.path, storage.MasterKeyEnv), nil
	case dst.url != "" || dst.masterKey != nil:
		return fmt.Sprintf("master key: the same, %s; give it the same way to whatever opens %s", dst.keySource, dst), nil
	}
	key, err := storage.ReadMasterKeyFile(src.path + ".key")
	if err == nil {
		err = storage.WriteMasterKeyFile(dst.path+".key", key)
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("master key: %s.key, a copy of %s.key (0600)", dst.path, src.path), nil
}
