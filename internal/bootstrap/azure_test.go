package bootstrap

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

const (
	azureVaultToken = `curl -fsS --retry 30 --retry-delay 10 --retry-all-errors --noproxy '*' -H 'Metadata: true' ` +
		`'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net' ` +
		`| jq -r '"Authorization: Bearer " + .access_token'`
	azureStorageToken = `curl -fsS --retry 30 --retry-delay 10 --retry-all-errors --noproxy '*' -H 'Metadata: true' ` +
		`'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com%2F' ` +
		`| jq -r '"Authorization: Bearer " + .access_token'`
	azureGet = `curl -fsS --retry 30 --retry-delay 10 --retry-all-errors -H @- `
)

func TestAzureFetcher_secretCommand(t *testing.T) {
	t.Parallel()
	f := AzureFetcher{}
	for ref, want := range map[string]string{
		"https://acme-kv.vault.azure.net/secrets/openai-key": azureVaultToken + " | " + azureGet +
			"'https://acme-kv.vault.azure.net/secrets/openai-key?api-version=7.4' | jq -r '.value'",
		"https://acme-kv.vault.azure.net/secrets/openai-key/": azureVaultToken + " | " + azureGet +
			"'https://acme-kv.vault.azure.net/secrets/openai-key?api-version=7.4' | jq -r '.value'",
		"https://acme-kv.vault.azure.net/secrets/db/0123456789abcdef0123456789abcdef": azureVaultToken + " | " + azureGet +
			"'https://acme-kv.vault.azure.net/secrets/db/0123456789abcdef0123456789abcdef?api-version=7.4' | jq -r '.value'",
		"https://gov-kv.vault.usgovcloudapi.net/secrets/key": strings.Replace(azureVaultToken, "vault.azure.net", "vault.usgovcloudapi.net", 1) +
			" | " + azureGet + "'https://gov-kv.vault.usgovcloudapi.net/secrets/key?api-version=7.4' | jq -r '.value'",
		"https://cn-kv.vault.azure.cn/secrets/key": strings.Replace(azureVaultToken, "vault.azure.net", "vault.azure.cn", 1) +
			" | " + azureGet + "'https://cn-kv.vault.azure.cn/secrets/key?api-version=7.4' | jq -r '.value'",
		"openai-key": `echo 'dspy: openai-key is not a Key Vault secret URI (https://<vault>.vault.azure.net/secrets/<name>)' >&2; false`,
		"https://evil.example/secrets/x'; rm -rf /": `echo 'dspy: https://evil.example/secrets/x'\''; rm -rf / is not a Key Vault secret URI ` +
			`(https://<vault>.vault.azure.net/secrets/<name>)' >&2; false`,
	} {
		if got := f.SecretCommand(ref); got != want {
			t.Errorf("SecretCommand(%q) =\n%s\nwant\n%s", ref, got, want)
		}
	}
	// Every reference spec accepts must get a Key Vault read, never the refusal.
	for _, ref := range []string{"https://acme-kv.vault.azure.net/secrets/openai-key", "https://gov-kv.vault.usgovcloudapi.net/secrets/key/",
		"https://cn-kv.vault.azure.cn/secrets/key/0123456789abcdef0123456789abcdef"} {
		if !spec.IsSecretRef(spec.Azure, ref) || strings.Contains(f.SecretCommand(ref), "false") {
			t.Errorf("%s: spec accepts it, so the fetcher must read it", ref)
		}
	}
}

func TestAzureFetcher_downloadCommand(t *testing.T) {
	t.Parallel()
	f := AzureFetcher{}
	for uri, want := range map[string]string{
		"https://acmeartifacts.blob.core.windows.net/programs/qa.json": azureStorageToken + " | " + azureGet +
			"-H 'x-ms-version: 2020-04-08' -o '/var/lib/dspy/program.json' 'https://acmeartifacts.blob.core.windows.net/programs/qa.json'",
		"https://acmeartifacts.blob.core.windows.net/programs/qa.json?sv=2022-11-02&sr=b&sig=abc%3D": "curl -fsSL --retry 5 -o '/var/lib/dspy/program.json' " +
			"'https://acmeartifacts.blob.core.windows.net/programs/qa.json?sv=2022-11-02&sr=b&sig=abc%3D'",
		"https://artifacts.example.com/qa.json": "curl -fsSL --retry 5 -o '/var/lib/dspy/program.json' 'https://artifacts.example.com/qa.json'",
	} {
		if got := f.DownloadCommand(uri, "/var/lib/dspy/program.json"); got != want {
			t.Errorf("DownloadCommand(%q) =\n%s\nwant\n%s", uri, got, want)
		}
	}
}

func TestRender_azure(t *testing.T) {
	t.Parallel()
	s := service()
	s.LM.APIKeySecret = "https://acme-kv.vault.azure.net/secrets/openai"
	s.Container.SecretEnv = map[string]string{"DB_PASSWORD": "https://acme-kv.vault.azure.net/secrets/db/0123456789abcdef0123456789abcdef"}
	s.Program = &spec.Program{ArtifactURI: "https://acmeartifacts.blob.core.windows.net/qa/program.json"}
	s.State = &spec.StateVolume{SizeGiB: 20}
	out, err := Render(s, AzureFetcher{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"#cloud-config",
		"  - docker.io\n  - curl\n  - jq\n  - xfsprogs\n",
		"      DSPY_METRICS_SINK=azure_monitor\n",
		"      DSPY_METRICS_NAMESPACE=dspy\n",
		"      DSPY_TOKEN_BUDGET_TAG=dspy-token-budget\n",
		"      DSPY_SERVICE=qa-bot\n",
		"value=\"$(" + azureVaultToken + " | " + azureGet +
			"'https://acme-kv.vault.azure.net/secrets/openai?api-version=7.4' | jq -r '.value')\"\n",
		"value=\"$(" + azureVaultToken + " | " + azureGet +
			"'https://acme-kv.vault.azure.net/secrets/db/0123456789abcdef0123456789abcdef?api-version=7.4' | jq -r '.value')\"\n",
		"      " + azureStorageToken + " | " + azureGet + "-H 'x-ms-version: 2020-04-08' -o '/var/lib/dspy/program.json' " +
			"'https://acmeartifacts.blob.core.windows.net/qa/program.json'\n",
		"for i in $(seq 1 120); do [ -b /dev/disk/azure/scsi1/lun0 ] && break; sleep 1; done",
		"blkid /dev/disk/azure/scsi1/lun0 >/dev/null 2>&1 || mkfs.xfs -q /dev/disk/azure/scsi1/lun0",
		"echo '/dev/disk/azure/scsi1/lun0 /var/lib/dspy xfs defaults,nofail 0 2' >> /etc/fstab",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("user data lacks %q:\n%s", want, out)
		}
	}
	for _, banned := range []string{"aws ", "gcloud ", "DSPY_METRICS_NAMESPACE=DSPy", "LM_API_KEY=https://"} {
		if strings.Contains(out, banned) {
			t.Errorf("an Azure bootstrap must not contain %q", banned)
		}
	}
}

func TestAzureFetcher_data(t *testing.T) {
	t.Parallel()
	f := AzureFetcher{}
	for _, line := range f.Setup() {
		if strings.Contains(line, "agent") || strings.Contains(line, "apt") {
			t.Errorf("Setup installs something: %s (the service publishes its own metrics)", line)
		}
	}
	if got := AzureImages["x86_64"].URN(); got != "Canonical:ubuntu-24_04-lts:server:latest" {
		t.Errorf("x86_64 image %s", got)
	}
	if got := AzureImages["arm64"].URN(); got != "Canonical:ubuntu-24_04-lts:server-arm64:latest" {
		t.Errorf("arm64 image %s", got)
	}
	if AzureTokenBudgetTag("qa-bot") != AzureTokenBudgetTag("other") {
		t.Error("the token budget tag lives on the service's own VMs: it must not depend on the name")
	}
}

// TestAzureFetcher_secretCommandRuns runs the command with bash, the real jq and a stub curl: the
// quoting survives the shell, the value comes out whole, and the token only travels on stdin.
func TestAzureFetcher_secretCommandRuns(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"bash", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	dir := t.TempDir()
	stub := `#!/bin/sh
printf '%s\n' "$*" >> "$CURL_LOG"
case "$*" in
*169.254.169.254*) echo '{"access_token":"tok-123"}' ;;
*) read -r h; [ "$h" = "Authorization: Bearer tok-123" ] || exit 22; echo '{"value":"it'"'"'s a $ecret"}' ;;
esac
`
	if err := os.WriteFile(filepath.Join(dir, "curl"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "log")
	lines := secretLines(AzureFetcher{}, []pair{{"LM_API_KEY", "https://acme-kv.vault.azure.net/secrets/openai-key"}}, "/dev/stdout")
	run := exec.Command("bash", "-c", "set -euo pipefail\n"+strings.Join(lines, "\n"))
	run.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"), "CURL_LOG="+log)
	out, err := run.CombinedOutput()
	if err != nil || string(out) != "LM_API_KEY=it's a $ecret\n" {
		t.Fatalf("ran %s\ngot %q, %v", lines, out, err)
	}
	calls, _ := os.ReadFile(log)
	if strings.Count(string(calls), "\n") != 2 || strings.Contains(string(calls), "tok-123") {
		t.Errorf("want two curl calls and no token on a command line:\n%s", calls)
	}
}

// TestAzureFetcher_userAssignedIdentity: with azure.identity_id every IMDS token request names the
// identity (mi_res_id, URL-encoded), the metrics sink is told which identity to use, and without it
// no request carries an identity parameter (IMDS then answers for the system-assigned identity).
func TestAzureFetcher_userAssignedIdentity(t *testing.T) {
	t.Parallel()
	const id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ids/providers/Microsoft.ManagedIdentity/userAssignedIdentities/qa-bot"
	s := &spec.Service{Name: "qa-bot", Azure: &spec.AzurePlacement{IdentityID: id}}
	f := NewAzureFetcher(s)
	enc := "mi_res_id=%2Fsubscriptions%2F00000000-0000-0000-0000-000000000001%2FresourceGroups%2Frg-ids%2Fproviders%2FMicrosoft.ManagedIdentity%2FuserAssignedIdentities%2Fqa-bot"
	for what, cmd := range map[string]string{
		"secret":   f.SecretCommand("https://acme-kv.vault.azure.net/secrets/openai-key"),
		"download": f.DownloadCommand("https://acct.blob.core.windows.net/programs/qa.tar.gz", "/opt/dspy/program.tar.gz"),
	} {
		if !strings.Contains(cmd, enc) {
			t.Errorf("%s: the IMDS request does not name the user-assigned identity:\n%s", what, cmd)
		}
	}
	if got := f.CloudEnv(s)["DSPY_AZURE_IDENTITY_RESOURCE_ID"]; got != id {
		t.Errorf("DSPY_AZURE_IDENTITY_RESOURCE_ID = %q", got)
	}
	sys := NewAzureFetcher(&spec.Service{Name: "qa-bot", Azure: &spec.AzurePlacement{}})
	if cmd := sys.SecretCommand("https://acme-kv.vault.azure.net/secrets/openai-key"); strings.Contains(cmd, "mi_res_id") {
		t.Errorf("a system-assigned identity's request names an identity:\n%s", cmd)
	}
	if _, ok := sys.CloudEnv(s)["DSPY_AZURE_IDENTITY_RESOURCE_ID"]; ok {
		t.Error("the system-assigned identity needs no DSPY_AZURE_IDENTITY_RESOURCE_ID")
	}
}

// TestAzureFetcher_metricsResource runs Setup with bash, the real jq and a stub curl that answers as
// IMDS does: the scale set's resource id reaches the boot-time environment, and metadata that names
// no scale set stops the start-up rather than post metrics where no rule reads them.
func TestAzureFetcher_metricsResource(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"bash", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	run := func(metadata string) (string, error) {
		dir := t.TempDir()
		stub := "#!/bin/sh\ncase \"$*\" in *metadata/instance/compute*) printf '%s' \"$METADATA\" ;; *) exit 22 ;; esac\n"
		if err := os.WriteFile(filepath.Join(dir, "curl"), []byte(stub), 0o755); err != nil {
			t.Fatal(err)
		}
		env := filepath.Join(dir, "runtime.env")
		script := strings.ReplaceAll(strings.Join(AzureFetcher{}.Setup(), "\n"), shellQuote(RuntimeEnvFile), shellQuote(env))
		cmd := exec.Command("bash", "-c", "set -euo pipefail\n"+script)
		cmd.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"), "METADATA="+metadata)
		out, err := cmd.CombinedOutput()
		written, _ := os.ReadFile(env)
		if err != nil {
			return string(written), fmt.Errorf("%w: %s", err, out)
		}
		return string(written), nil
	}
	got, err := run(`{"subscriptionId":"00000000-0000-0000-0000-000000000001","resourceGroupName":"rg-dspy","vmScaleSetName":"qa-bot","name":"qa-bot_1a2b3c4d"}`)
	want := AzureMetricsResourceEnv + "=/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-dspy/providers/Microsoft.Compute/virtualMachineScaleSets/qa-bot\n"
	if err != nil || got != want {
		t.Errorf("wrote %q (%v), want %q", got, err, want)
	}
	for _, md := range []string{`{"subscriptionId":"00000000-0000-0000-0000-000000000001","resourceGroupName":"rg-dspy","vmScaleSetName":""}`, `{"subscriptionId":"s"}`, `not json`} {
		if got, err := run(md); err == nil || got != "" {
			t.Errorf("metadata %s: wrote %q and went on", md, got)
		}
	}
	s := &spec.Service{Name: "qa-bot", Azure: &spec.AzurePlacement{Location: "northeurope"}}
	if got := (AzureFetcher{}).CloudEnv(s)["DSPY_AZURE_METRICS_ENDPOINT"]; got != "https://northeurope.monitoring.azure.com" {
		t.Errorf("metrics endpoint %q", got)
	}
}
