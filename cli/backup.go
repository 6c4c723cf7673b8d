package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

func (a *app) backupCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE|-",
		Short: "write a consistent copy of the database to FILE, or to stdout with -",
		Long: `backup copies the database as of one commit while keyrack keeps working
(over SSH while serve runs: ssh -p 23234 HOST backup - > keyrack.db). The copy
holds sealed secrets but not the master key: keep the key (<db>.key or
KEYRACK_MASTER_KEY) apart from the backups. To restore, stop keyrack and copy
the file back as the database, beside its master key (see README).`,
		Args: exactArgs("FILE|-"),
		RunE: func(_ *cobra.Command, args []string) error {
			st, err := a.store(false)
			if err != nil {
				return err
			}
			if args[0] == "-" {
				_, err := st.Backup(a.env.Stdout)
				return err
			}
			if a.env.Remote {
				return usagef("over SSH the backup goes to stdout: backup - > FILE")
			}
			return backupToFile(st.Backup, args[0])
		},
	}
}

// backupToFile writes the copy beside path, syncs it and renames it into
// place: a crash leaves no half backup under the name.
func backupToFile(backup func(w io.Writer) (int64, error), path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return fmt.Errorf("backup: cannot create %s: %w", path, pe.Err) // not the temporary name
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := backup(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
