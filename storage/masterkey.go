package storage

import (
	"encoding/base64"
	"fmt"
	"os"
)

// ReadMasterKeyFile reads a master key file (base64 of 32 bytes, as
// <db>.key holds), refusing one that group or others may access as
// <db>.key is refused: --master-key-file.
func ReadMasterKeyFile(path string) ([]byte, error) {
	if err := checkPrivate(path); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, coded(ErrMasterKey, "read master key: %v", err)
	}
	key, err := decodeMasterKey(string(b))
	if err != nil {
		return nil, coded(ErrMasterKey, "master key file %s: %v", path, err)
	}
	return key, nil
}

// ParseMasterKey decodes a master key given as text (KEYRACK_MASTER_KEY).
func ParseMasterKey(s string) ([]byte, error) {
	key, err := decodeMasterKey(s)
	if err != nil {
		return nil, coded(ErrMasterKey, "%s: %v", MasterKeyEnv, err)
	}
	return key, nil
}

// WriteMasterKeyFile creates path (0600, never over an existing file)
// holding key as <db>.key does, and syncs it.
func WriteMasterKeyFile(path string, key []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create master key file: %w", err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write master key file: %w", err)
	}
	return nil
}
