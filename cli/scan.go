package cli

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/keyrack/keyrack/model"
	"github.com/keyrack/keyrack/storage"
	"github.com/spf13/cobra"
)

// maxScanLine bounds one line of a scanned file; a longer line is read in pieces.
const maxScanLine = 1 << 20

func (a *app) scanCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "scan PATH…|-",
		Short: "find live kr_ tokens (and stored Lago tokens) in files; exit 1 if any",
		Long: `scan reads files, directories (recursively) or stdin (-) and prints, per file
and line, each token whose checksum holds (and each UUID stored as an imported
Lago token) with its key's id, name and status, masked. Exit 1 if any key was
found, 0 if none, 2 if nothing could be read; unreadable paths are reported
and skipped. For a leak, rotate the keys found, or every key at once with
keyrack keys rotate --all.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("scan takes at least one PATH (or - for stdin)")
			}
			if a.env.Remote && (len(args) != 1 || args[0] != "-") {
				// The server's files are not the admin's to read.
				return usagef("over SSH, scan reads stdin only: ssh … scan - < FILE")
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			st, err := a.store(false)
			if err != nil {
				return err
			}
			sc := scanner{a: a, st: st}
			for _, p := range args {
				sc.path(p)
			}
			return sc.finish()
		},
	}
}

// scanner is one run of scan: what it read and found.
type scanner struct {
	a                *app
	st               *storage.Store
	read, unreadable int
	live, unknown    int
	liveIDs          map[string]bool
}

// path scans stdin, a file, or a directory tree.
func (sc *scanner) path(p string) {
	if p == "-" {
		sc.reader("(stdin)", sc.a.env.Stdin)
		return
	}
	err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			sc.skip(path, err)
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			sc.skip(path, err)
			return nil
		}
		defer f.Close()
		sc.reader(path, f)
		return nil
	})
	if err != nil {
		sc.skip(p, err)
	}
}

func (sc *scanner) skip(path string, err error) {
	sc.unreadable++
	if pe, ok := err.(*fs.PathError); ok {
		err = pe.Err
	}
	sc.a.warn("cannot read %s: %v (skipped)", path, err)
}

// reader scans one file line by line.
func (sc *scanner) reader(name string, r io.Reader) {
	if r == nil {
		sc.skip(name, fmt.Errorf("no input"))
		return
	}
	br := bufio.NewReaderSize(r, 64<<10)
	for line := 1; ; line++ {
		text, err := readLine(br)
		for _, c := range model.FindCredentials(text) {
			sc.report(name, line, c)
		}
		if err == io.EOF {
			sc.read++
			return
		}
		if err != nil {
			sc.skip(name, err)
			return
		}
	}
}

// readLine reads one line (at most maxScanLine bytes of it; the rest of a
// longer line is read as further lines).
func readLine(br *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		part, err := br.ReadSlice('\n')
		out = append(out, part...)
		if err != bufio.ErrBufferFull || len(out) >= maxScanLine {
			return out, err
		}
	}
}
