package cloud

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestJournal(t *testing.T) {
	j := NewJournal(filepath.Join(t.TempDir(), "journal"))
	if _, ok := j.Pending("aws/us-east-1/qa"); ok {
		t.Fatal("an empty journal has a pending create")
	}
	if err := j.Begin("aws/us-east-1/qa", "tok1"); err != nil {
		t.Fatal(err)
	}
	if tok, ok := j.Pending("aws/us-east-1/qa"); !ok || tok != "tok1" {
		t.Fatalf("Pending = %q %v, want tok1", tok, ok)
	}
	if _, ok := j.Pending("aws/eu-west-1/qa"); ok {
		t.Fatal("a create in another region is pending")
	}
	j.Done("aws/us-east-1/qa", "other-token")
	if _, ok := j.Pending("aws/us-east-1/qa"); !ok {
		t.Fatal("Done with another token forgot the pending create")
	}
	j.Done("aws/us-east-1/qa", "tok1")
	if _, ok := j.Pending("aws/us-east-1/qa"); ok {
		t.Fatal("Done did not forget the create")
	}
	var nilJournal *Journal
	if err := nilJournal.Begin("k", "t"); err != nil {
		t.Fatal(err)
	}
	if _, ok := nilJournal.Pending("k"); ok {
		t.Fatal("a missing journal has a pending create")
	}
}

func TestOpenJournal(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("TF_DATA_DIR", "")
	t.Setenv("TF_WORKSPACE", "")
	if OpenJournal() != nil {
		t.Fatal("a journal without a .terraform directory")
	}
	if err := os.MkdirAll(".terraform", 0o700); err != nil {
		t.Fatal(err)
	}
	def := OpenJournal()
	if def == nil {
		t.Fatal("no journal in an initialised working directory")
	}
	if err := def.Begin("aws/us-east-1/qa", "tok"); err != nil {
		t.Fatal(err)
	}
	// Another workspace of the same working directory has a journal of its own.
	if err := os.WriteFile(filepath.Join(".terraform", "environment"), []byte("staging"), 0o600); err != nil {
		t.Fatal(err)
	}
	staging := OpenJournal()
	if _, ok := staging.Pending("aws/us-east-1/qa"); ok {
		t.Fatal("the staging workspace sees the default workspace's pending create")
	}
	t.Setenv("TF_WORKSPACE", "default")
	if tok, ok := OpenJournal().Pending("aws/us-east-1/qa"); !ok || tok != "tok" {
		t.Fatalf("TF_WORKSPACE=default: Pending = %q %v", tok, ok)
	}
	t.Setenv("TF_DATA_DIR", filepath.Join(dir, "elsewhere"))
	if OpenJournal() != nil {
		t.Fatal("a journal in a TF_DATA_DIR that does not exist")
	}
}

func TestNewOwnerToken(t *testing.T) {
	a, b := NewOwnerToken(), NewOwnerToken()
	if len(a) != 16 || a == b || strings.Trim(a, "0123456789abcdef") != "" {
		t.Fatalf("tokens %q %q", a, b)
	}
}

func TestNameTakenError(t *testing.T) {
	e := &NameTakenError{Attribute: "name", Name: "qa", Object: "the Auto Scaling group qa in eu-west-1", ImportID: "aws/eu-west-1/qa"}
	for _, want := range []string{`the name "qa" is already taken`, "Auto Scaling group qa in eu-west-1", "Nothing of it was changed", "terraform import <address> aws/eu-west-1/qa"} {
		if !strings.Contains(e.Error(), want) {
			t.Errorf("%q lacks %q", e.Error(), want)
		}
	}
}
