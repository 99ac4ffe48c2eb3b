package modules_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// repoURL is the repository the READMEs' module sources name.
const repoURL = "git::https://github.com/dspyops/terraform-provider-dspy.git"

// sourceRe finds a README example's module source: the repository, //modules/<name>, ?ref=<tag>.
var sourceRe = regexp.MustCompile(regexp.QuoteMeta(repoURL) + `//modules/([a-z0-9-]+)\?ref=(v[0-9][0-9.]*)`)

// hclBlockRe is a fenced hcl block of a README.
var hclBlockRe = regexp.MustCompile("(?s)```hcl\n(.*?)```")

// TestModules_gitSource checks the module source address each module's README gives, as a
// registry user consumes a module kept inside a provider repository: a git source, `//` and the
// module's folder, `?ref=` and a release tag. A local git repository with this tree's modules and
// that tag stands in for the real one; `terraform get` must install the README's first example
// from it through the address as written (only the repository URL swapped), and `terraform validate`
// must accept the example with the provider built from this tree.
func TestModules_gitSource(t *testing.T) {
	tf, rc := acctest.DevOverrides(t)
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed to check the modules' git source addresses")
	}
	readmes, _ := filepath.Glob(filepath.Join("*", "README.md"))
	if len(readmes) == 0 {
		t.Fatal("no modules/*/README.md")
	}
	repo := t.TempDir()
	tags := map[string]bool{}
	examples := map[string]string{}
	for _, readme := range readmes {
		b, err := os.ReadFile(readme)
		if err != nil {
			t.Fatal(err)
		}
		mod := filepath.Dir(readme)
		for _, m := range hclBlockRe.FindAllStringSubmatch(string(b), -1) {
			if s := sourceRe.FindStringSubmatch(m[1]); s != nil {
				if s[1] != mod {
					t.Errorf("%s: the example's source names modules/%s, not modules/%s", readme, s[1], mod)
				}
				tags[s[2]] = true
				examples[mod] = strings.ReplaceAll(m[1], repoURL, "git::file://"+repo)
				break
			}
		}
		if examples[mod] == "" {
			t.Errorf("%s has no hcl example whose source is %s//modules/%s?ref=<tag>", readme, repoURL, mod)
		}
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.com",
			"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.com", "GIT_CONFIG_GLOBAL="+os.DevNull)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if err := os.CopyFS(filepath.Join(repo, "modules"), os.DirFS(".")); err != nil {
		t.Fatal(err)
	}
	git("init", "-q", "-b", "main")
	git("add", "-A")
	git("commit", "-q", "-m", "modules")
	for tag := range tags {
		git("tag", tag)
	}
	for mod, example := range examples {
		t.Run(mod, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(example), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"get", "-no-color"}, {"validate", "-no-color"}} {
				cmd := exec.Command(tf, args...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1")
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("terraform %s of the README's example:\n%s\n%v\n%s", args[0], example, err, out)
				}
			}
		})
	}
}
