package storage

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// MasterKeyEnv names the environment variable that holds the master key.
const MasterKeyEnv = "KEYRACK_MASTER_KEY"

// sealer encrypts secrets with AES-256-GCM. The record id is the additional
// data, so a sealed secret cannot be moved to another record.
type sealer struct {
	aead cipher.AEAD
	rand io.Reader
}

func newSealer(key []byte, rand io.Reader) (*sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead, rand: rand}, nil
}

func (s *sealer) seal(id string, plain []byte) ([]byte, error) {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := io.ReadFull(s.rand, nonce); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return s.aead.Seal(nonce, nonce, plain, []byte(id)), nil
}

func (s *sealer) open(id string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("sealed secret is truncated")
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(id))
	if err != nil {
		return nil, errors.New("sealed secret does not open with this master key")
	}
	return plain, nil
}

// loadMasterKey returns the master key from the environment or from the
// key file beside the database. A key file is created only when the
// database is new (fresh is true).
func loadMasterKey(keyPath string, fresh bool, rand io.Reader) ([]byte, error) {
	if v := os.Getenv(MasterKeyEnv); v != "" {
		return ParseMasterKey(v)
	}
	b, err := os.ReadFile(keyPath)
	switch {
	case err == nil:
		key, err := decodeMasterKey(string(b))
		if err != nil {
			return nil, coded(ErrMasterKey, "master key file %s: %v", keyPath, err)
		}
		return key, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, coded(ErrMasterKey, "read master key: %v", err)
	case !fresh:
		return nil, coded(ErrMasterKey, "master key missing: set %s or restore %s (a new key is never created for an existing database)", MasterKeyEnv, keyPath)
	}
	key := make([]byte, 32)
	if _, err := io.ReadFull(rand, key); err != nil {
		return nil, fmt.Errorf("generate master key: %w", err)
	}
	if err := WriteMasterKeyFile(keyPath, key); err != nil {
		return nil, err
	}
	return key, nil
}

func decodeMasterKey(s string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, errors.New("not valid base64")
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("decodes to %d bytes, want 32", len(key))
	}
	return key, nil
}
