package app

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/st2go/st2go/internal/config"
	"github.com/st2go/st2go/internal/datastore"
	"github.com/st2go/st2go/internal/datastore/crypto"
)

// datastoreKeyPath is where the encryption key lives: [keyvalue]
// encryption_key_path, or, on the embedded defaults (no config file), a
// key st2d creates under the data directory on first start.
func datastoreKeyPath(cfg *config.Config) (path string, generate bool) {
	if cfg.Keyvalue.EncryptionKeyPath != "" {
		return cfg.Keyvalue.EncryptionKeyPath, false
	}
	if cfg.Path() == "" {
		return filepath.Join(cfg.ST2Go.DataDir, "keys", "datastore_key.json"), true
	}
	return "", false
}

// newDatastore loads (or, on embedded defaults, creates) the key and
// builds the datastore. A missing key is not fatal, as in StackStorm:
// storing a secret is then refused with a clear message.
func newDatastore(a *App) (*datastore.Service, error) {
	opts := datastore.Options{Store: a.store, Bus: a.bus, Logger: a.log}
	if !a.cfg.Keyvalue.EnableEncryption {
		opts.KeyPath = "(encryption disabled: [keyvalue] enable_encryption = False)"
		return datastore.New(opts), nil
	}
	path, generate := datastoreKeyPath(a.cfg)
	opts.KeyPath = path
	if path == "" {
		opts.KeyPath = "(no [keyvalue] encryption_key_path is set)"
		a.log.Warn("no [keyvalue] encryption_key_path: secret datastore values cannot be stored")
		return datastore.New(opts), nil
	}
	key, err := crypto.LoadKey(path)
	if errors.Is(err, fs.ErrNotExist) && generate {
		if err := writeKey(path, false, io.Discard); err != nil {
			return nil, err
		}
		a.log.Info("datastore encryption key created", "path", path)
		key, err = crypto.LoadKey(path)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		a.log.Warn("datastore encryption key file does not exist: secret values cannot be stored", "path", path)
	case err != nil:
		return nil, fmt.Errorf("[keyvalue] encryption_key_path: %w", err)
	default:
		opts.Key = key
	}
	return datastore.New(opts), nil
}

// writeKey writes a new key file as st2-generate-symmetric-crypto-key
// does: it refuses to replace an existing key unless force is set.
func writeKey(path string, force bool, out io.Writer) error {
	if _, err := os.Stat(path); err == nil && !force {
		return fmt.Errorf("you already have a key at %s; not generating a new key (delete the file or use --force)", path)
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		return err
	}
	data, err := key.Marshal()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating key directory: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("writing key: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing key: %w", err)
	}
	fmt.Fprintf(out, "Key written to %s. Secure the permissions so only the st2go server and its administrators can read the file.\n", path)
	return nil
}
