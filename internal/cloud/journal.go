package cloud

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// Journal remembers, in the Terraform working directory, the owner token of every create that has
// started and whose result Terraform may not have saved. When Terraform is killed in the middle of
// an apply, the objects the create made are in the cloud but not in state; the next create of the
// same resource in the same working directory and workspace finds its token here, so it can prove
// the objects are its own and clean them up instead of failing on "name already taken" — while an
// object with the same name from another state still carries a token this journal does not know.
//
// The journal lives in Terraform's data directory (TF_DATA_DIR, default .terraform) under
// dspy-journal/<workspace>/. Without a data directory (a provider served outside `terraform init`ed
// working directories, as in the provider's own tests), there is no journal and an interrupted
// create is reported as a taken name, with the import id.
type Journal struct {
	dir string
}

// OpenJournal returns the working directory's journal, or nil when there is no data directory.
func OpenJournal() *Journal {
	data := os.Getenv("TF_DATA_DIR")
	if data == "" {
		data = ".terraform"
	}
	if fi, err := os.Stat(data); err != nil || !fi.IsDir() {
		return nil
	}
	ws := os.Getenv("TF_WORKSPACE")
	if ws == "" {
		if b, err := os.ReadFile(filepath.Join(data, "environment")); err == nil {
			ws = strings.TrimSpace(string(b))
		}
	}
	if ws == "" {
		ws = "default"
	}
	return &Journal{dir: filepath.Join(data, "dspy-journal", safeName(ws))}
}

// NewJournal returns a journal kept in dir (for tests).
func NewJournal(dir string) *Journal { return &Journal{dir: dir} }

type journalEntry struct {
	Key   string `json:"key"`
	Token string `json:"token"`
}

func safeName(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

func (j *Journal) path(key string) string { return filepath.Join(j.dir, safeName(key)+".json") }

// Pending returns the token of an unfinished create of key.
func (j *Journal) Pending(key string) (string, bool) {
	if j == nil {
		return "", false
	}
	b, err := os.ReadFile(j.path(key))
	if err != nil {
		return "", false
	}
	var e journalEntry
	if json.Unmarshal(b, &e) != nil || e.Key != key || e.Token == "" {
		return "", false
	}
	return e.Token, true
}

// Begin records that a create of key with token starts. It is written before any cloud call.
func (j *Journal) Begin(key, token string) error {
	if j == nil {
		return nil
	}
	if err := os.MkdirAll(j.dir, 0o700); err != nil {
		return err
	}
	b, err := json.Marshal(journalEntry{Key: key, Token: token})
	if err != nil {
		return err
	}
	tmp := j.path(key) + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, j.path(key))
}

// Done forgets the create of key with token: its objects are in state (a later Read, Update or
// Delete saw the token there) or were all removed. An entry with another token is kept.
func (j *Journal) Done(key, token string) {
	if j == nil {
		return
	}
	if t, ok := j.Pending(key); ok && t == token {
		if err := os.Remove(j.path(key)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return
		}
	}
}
