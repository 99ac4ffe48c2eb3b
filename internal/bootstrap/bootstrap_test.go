package bootstrap

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func service() *spec.Service {
	ttl := int64(3600)
	return &spec.Service{
		Name: "qa-bot",
		Container: spec.Container{Image: "ghcr.io/acme/qa-bot:1.4.2", Port: 8000, HealthPath: "/health", MetricsPath: "/metrics",
			Command: []string{"python", "-m", "app"}, Args: []string{"--workers", "2"},
			Env:       map[string]string{"LOG_LEVEL": "info"},
			SecretEnv: map[string]string{"DB_PASSWORD": "arn:aws:ssm:us-east-1:123456789012:parameter/qa/db"}},
		LM:      spec.LM{Model: "openai/gpt-4o-mini", APIKeySecret: "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai", Cache: spec.LMCache{Enabled: true, TTLSeconds: &ttl}},
		Program: &spec.Program{ArtifactURI: "s3://acme/qa/program.json"},
	}
}

func TestRender_aws(t *testing.T) {
	t.Parallel()
	out, err := Render(service(), AWSFetcher{Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"#cloud-config",
		"  - docker\n",
		"      LOG_LEVEL=info\n",
		"      DSPY_SERVICE=qa-bot\n",
		"      DSPY_PORT=8000\n",
		"      DSPY_CACHEDIR=/var/lib/dspy/cache\n",
		"      DSPY_CACHE_TTL_SECONDS=3600\n",
		"      DSPY_PROGRAM_PATH=/var/lib/dspy/program.json\n",
		"      DSPY_METRICS_NAMESPACE=DSPy\n",
		"      LM_MODEL=openai/gpt-4o-mini\n",
		"value=\"$(aws secretsmanager get-secret-value --region us-east-1 --secret-id 'arn:aws:secretsmanager:us-east-1:123456789012:secret:openai' --query SecretString --output text)\"",
		"value=\"$(aws ssm get-parameter --region us-east-1 --name 'arn:aws:ssm:us-east-1:123456789012:parameter/qa/db' --with-decryption --query Parameter.Value --output text)\"",
		"aws s3 cp --region us-east-1 's3://acme/qa/program.json' '/var/lib/dspy/program.json'",
		"mount -t tmpfs",
		"      DSPY_METRICS_DIMENSIONS=service=qa-bot\n",
		"      DSPY_METRICS_SINK=cloudwatch\n",
		"      DSPY_TOKEN_BUDGET_PARAMETER=/dspy/qa-bot/token-budget\n",
		"  - amazon-cloudwatch-agent\n",
		"amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json",
		`"measurement":["mem_used_percent"]`,
		"--entrypoint 'python' \\\n        'ghcr.io/acme/qa-bot:1.4.2' '-m' 'app' '--workers' '2'",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("user data lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "LM_API_KEY=arn") || strings.Contains(out, "/etc/dspy/service.env\n    permissions: \"0644\"\n    content: |\n      LM_API_KEY") {
		t.Error("the API key reference must only be fetched at boot, never written as a value")
	}
}

func TestRender_stateVolume(t *testing.T) {
	t.Parallel()
	s := service()
	s.State = &spec.StateVolume{SizeGiB: 50, MountPath: "/data/dspy"}
	out, _ := Render(s, AWSFetcher{Region: "us-east-1"})
	for _, want := range []string{
		"[ -b /dev/xvdb ] && break",
		"blkid /dev/xvdb >/dev/null 2>&1 || mkfs.xfs -q /dev/xvdb",
		"echo '/dev/xvdb /data/dspy xfs defaults,nofail 0 2' >> /etc/fstab",
		"      DSPY_CACHEDIR=/data/dspy/cache\n",
		"      DSPY_PROGRAM_PATH=/data/dspy/program.json\n",
		"-v /data/dspy:/data/dspy",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("user data lacks %q:\n%s", want, out)
		}
	}
	plain, _ := Render(service(), AWSFetcher{Region: "us-east-1"})
	if strings.Contains(plain, "mkfs") {
		t.Error("without a state volume nothing is formatted")
	}
}

func TestRender_httpsArtifactAndNoProgram(t *testing.T) {
	t.Parallel()
	s := service()
	s.Program.ArtifactURI = "https://example.com/p.json"
	out, _ := Render(s, AWSFetcher{Region: "eu-west-1"})
	if !strings.Contains(out, "curl -fsSL --retry 5 -o '/var/lib/dspy/program.json' 'https://example.com/p.json'") {
		t.Errorf("https artifact not downloaded with curl:\n%s", out)
	}
	s.Program = nil
	out, _ = Render(s, AWSFetcher{Region: "eu-west-1"})
	if strings.Contains(out, "DSPY_PROGRAM_PATH") || strings.Contains(out, "program.json") {
		t.Error("no program: nothing to download and no DSPY_PROGRAM_PATH")
	}
}

func TestHash(t *testing.T) {
	t.Parallel()
	a, _ := Render(service(), AWSFetcher{Region: "us-east-1"})
	s := service()
	s.Container.Image = "ghcr.io/acme/qa-bot:1.4.3"
	b, _ := Render(s, AWSFetcher{Region: "us-east-1"})
	first, again := Hash(a, "ami-1", "m7i.large"), Hash(a, "ami-1", "m7i.large")
	if first != again {
		t.Fatal("hash is not deterministic")
	}
	if Hash(a, "ami-1", "m7i.large") == Hash(b, "ami-1", "m7i.large") {
		t.Error("a new image must change the hash")
	}
	if Hash(a, "ami-1", "m7i.large") == Hash(a, "ami-2", "m7i.large") || Hash(a, "ami-1", "m7i.large") == Hash(a, "ami-1", "m7i.xlarge") {
		t.Error("a new AMI or instance type must change the hash")
	}
	if Hash(a, "ab", "c") == Hash(a, "a", "bc") {
		t.Error("parts must be delimited")
	}
}

// TestRender_secretsFromTheirRegion: a secret reference is read in the region (and account) its ARN
// names, whatever the instance's region; a plain name stays in the instance's region. The script
// holds references only, fetched at boot into the tmpfs file, never a value.
func TestRender_secretsFromTheirRegion(t *testing.T) {
	t.Parallel()
	s := service()
	s.LM.APIKeySecret = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:openai-AbCdEf"
	s.Container.SecretEnv = map[string]string{
		"SHARED_TOKEN": "arn:aws:ssm:eu-west-1:111122223333:parameter/openai",
		"DB_PASSWORD":  "arn:aws:ssm:us-east-1:123456789012:parameter/qa/db",
		"CN_KEY":       "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:cn-key",
		"PLAIN":        "qa/plain-name",
	}
	out, err := Render(s, AWSFetcher{Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`      value="$(aws secretsmanager get-secret-value --region cn-north-1 --secret-id 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:cn-key' --query SecretString --output text)"`,
		`      printf '%s=%s\n' 'CN_KEY' "$value" >> '/run/dspy/secret.env'`,
		`      value="$(aws ssm get-parameter --region us-east-1 --name 'arn:aws:ssm:us-east-1:123456789012:parameter/qa/db' --with-decryption --query Parameter.Value --output text)"`,
		`      printf '%s=%s\n' 'DB_PASSWORD' "$value" >> '/run/dspy/secret.env'`,
		`      value="$(aws secretsmanager get-secret-value --region eu-west-1 --secret-id 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:openai-AbCdEf' --query SecretString --output text)"`,
		`      printf '%s=%s\n' 'LM_API_KEY' "$value" >> '/run/dspy/secret.env'`,
		`      value="$(aws secretsmanager get-secret-value --region us-east-1 --secret-id 'qa/plain-name' --query SecretString --output text)"`,
		`      printf '%s=%s\n' 'PLAIN' "$value" >> '/run/dspy/secret.env'`,
		`      value="$(aws ssm get-parameter --region eu-west-1 --name 'arn:aws:ssm:eu-west-1:111122223333:parameter/openai' --with-decryption --query Parameter.Value --output text)"`,
		`      printf '%s=%s\n' 'SHARED_TOKEN' "$value" >> '/run/dspy/secret.env'`,
	}
	var got []string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "/run/dspy/secret.env") && strings.Contains(line, "printf") || strings.HasPrefix(line, "      value=") {
			got = append(got, line)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("secret lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// No secret variable is ever given a value in the script: each appears once, in its fetch line.
	for k := range Secrets(s) {
		if n := strings.Count(out, "'"+k+"'"); n != 1 {
			t.Errorf("%s appears %d times in the user data; only its fetch line may name it", k, n)
		}
		if strings.Contains(out, k+"=") {
			t.Errorf("%s is assigned a value in the user data", k)
		}
	}
}

func TestAWSFetcher_secretCommand(t *testing.T) {
	t.Parallel()
	f := AWSFetcher{Region: "us-east-1"}
	for ref, want := range map[string]string{
		"arn:aws:ssm:eu-west-1:111122223333:parameter/openai":            "aws ssm get-parameter --region eu-west-1 --name 'arn:aws:ssm:eu-west-1:111122223333:parameter/openai' --with-decryption --query Parameter.Value --output text",
		"arn:aws:secretsmanager:ap-south-1:123456789012:secret:k-AbCdEf": "aws secretsmanager get-secret-value --region ap-south-1 --secret-id 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:k-AbCdEf' --query SecretString --output text",
		"arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/a/b":    "aws ssm get-parameter --region us-gov-west-1 --name 'arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/a/b' --with-decryption --query Parameter.Value --output text",
		"openai-key": "aws secretsmanager get-secret-value --region us-east-1 --secret-id 'openai-key' --query SecretString --output text",
		"arn:aws:secretsmanager:us-east-1;reboot:123456789012:secret:injected-key": "aws secretsmanager get-secret-value --region us-east-1 --secret-id 'arn:aws:secretsmanager:us-east-1;reboot:123456789012:secret:injected-key' --query SecretString --output text",
	} {
		if got := f.SecretCommand(ref); got != want {
			t.Errorf("SecretCommand(%q)\n got %s\nwant %s", ref, got, want)
		}
	}
}

// cmdFetcher fetches every secret with one shell command.
type cmdFetcher struct {
	AWSFetcher
	cmd string
}

func (f cmdFetcher) SecretCommand(string) string { return f.cmd }

// TestSecretLines_failedFetchStops runs the secret lines with bash under the start script's set
// -euo pipefail: a fetch that fails stops the script before anything is written (the container
// must not start without its key), and one that works writes KEY=value whole.
func TestSecretLines_failedFetchStops(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	run := func(cmd string) (string, error) {
		file := filepath.Join(t.TempDir(), "secret.env")
		lines := secretLines(cmdFetcher{cmd: cmd}, []pair{{"LM_API_KEY", "ref"}}, file)
		out, err := exec.Command("bash", "-c", "set -euo pipefail\n: > "+shellQuote(file)+"\n"+strings.Join(lines, "\n")+"\necho started").CombinedOutput()
		written, _ := os.ReadFile(file)
		if err == nil && !strings.HasSuffix(string(out), "started\n") {
			t.Errorf("the script did not run to its end: %s", out)
		}
		return string(written), err
	}
	if got, err := run("echo 'sk-a b$c'"); err != nil || got != "LM_API_KEY=sk-a b$c\n" {
		t.Errorf("a working fetch wrote %q (%v)", got, err)
	}
	for _, cmd := range []string{"false", "echo partial; false", "echo x | false | cat"} {
		if got, err := run(cmd); err == nil || got != "" {
			t.Errorf("fetch %q failed, yet the script went on (%v) and wrote %q", cmd, err, got)
		}
	}
}
