package cli

import (
	"errors"
	"fmt"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/spf13/cobra"
)

// checkJSON is `keyrack check --json`.
type checkJSON struct {
	Path     string   `json:"path"`
	OK       bool     `json:"ok"`
	Keys     int      `json:"keys"`
	Problems []string `json:"problems"`
	More     int      `json:"more_problems"`
	Notes    []string `json:"notes"`
	Secrets  bool     `json:"secrets_opened"`
}

func (a *app) checkCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "check [--json]",
		Short: "check the database for damage; exit 0 when it is sound",
		Long: `check runs bbolt's consistency check and keyrack's own: the hash index
against the keys, the expiry index against the expiring keys, an active key,
every sealed secret opening to its token's hash (when the master key is at
hand), and audit, outbox and member records that decode. It changes nothing,
applies no expiry and creates nothing, so it also checks a backup copied
without its master key. Each problem is listed; exit 1 when there is one.`,
		Args: exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			path, r, err := a.check()
			if err != nil {
				return err
			}
			out := checkJSON{Path: path, OK: len(r.Problems) == 0, Keys: r.Keys, Problems: r.Problems, More: r.More, Notes: r.Notes, Secrets: r.Secrets}
			if asJSON {
				if out.Problems == nil {
					out.Problems = []string{}
				}
				if out.Notes == nil {
					out.Notes = []string{}
				}
				if err := writeJSON(a.env.Stdout, out); err != nil {
					return err
				}
			} else {
				printCheck(a, out)
			}
			if !out.OK {
				return fmt.Errorf("database %s is damaged: %s found; restore it from a backup (see README)",
					path, model.Count(len(r.Problems)+r.More, "problem", "problems"))
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// check checks the server's store over SSH, else the file at --db
// without opening it for work.
func (a *app) check() (string, storage.Report, error) {
	if a.env.Store != nil {
		if a.env.Store.Path() == "" {
			return "", storage.Report{}, errors.New("check examines a bbolt file; this server's database is an etcd cluster (etcdctl endpoint health and etcdctl check datascale check the cluster)")
		}
		return a.env.Store.Path(), a.env.Store.Check(), nil
	}
	d, err := a.database()
	if err != nil {
		return "", storage.Report{}, err
	}
	if d.url != "" {
		return "", storage.Report{}, fmt.Errorf("check examines a bbolt file; %s is an etcd cluster (etcdctl endpoint health and etcdctl check datascale check the cluster)", d.url)
	}
	path := d.path
	r, err := storage.CheckFile(path, 0)
	if errors.Is(err, storage.ErrNoDatabase) {
		return path, r, noDatabase(path)
	}
	return path, r, err
}

func printCheck(a *app, r checkJSON) {
	for _, n := range r.Notes {
		fmt.Fprintf(a.env.Stdout, "note: %s\n", model.Printable(n))
	}
	for _, p := range r.Problems {
		fmt.Fprintf(a.env.Stdout, "problem: %s\n", model.Printable(p))
	}
	if r.More > 0 {
		fmt.Fprintf(a.env.Stdout, "problem: … and %s more\n", model.Thousands(r.More))
	}
	if r.OK {
		what := "structure, indexes, sealed secrets, audit log and outbox checked"
		if !r.Secrets {
			what = "structure, indexes, audit log and outbox checked (not the sealed secrets)"
		}
		fmt.Fprintf(a.env.Stdout, "%s is sound: %s; %s\n", model.Printable(r.Path), model.Count(r.Keys, "key", "keys"), what)
	}
}
