package bootstrap

import (
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
		"printf '%s=%s\\n' 'LM_API_KEY' \"$(aws secretsmanager get-secret-value --region us-east-1 --secret-id 'arn:aws:secretsmanager:us-east-1:123456789012:secret:openai' --query SecretString --output text)\"",
		"aws ssm get-parameter --region us-east-1 --with-decryption --name '/qa/db'",
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
