// Package bootstrap renders what an instance runs at start-up — cloud-init that installs a container
// runtime, fetches secrets with the instance's own identity, downloads the compiled DSPy program and
// runs the service container — and the content hash that decides when instances must be replaced.
// It is shared by every cloud; only the secret and artifact fetch commands differ.
package bootstrap

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Paths on the instance.
const (
	EnvFile    = "/etc/dspy/service.env"
	SecretFile = "/run/dspy/secret.env" // tmpfs, 0600, never on disk
)

// StateDir is where the DSPy cache and program artifacts live: the state volume's mount path, or
// /var/lib/dspy on the root disk.
func StateDir(s *spec.Service) string {
	if s.State != nil && s.State.MountPath != "" {
		return strings.TrimSuffix(s.State.MountPath, "/")
	}
	return spec.DefaultStateMountPath
}

// ProgramPath is where the compiled program is downloaded.
func ProgramPath(s *spec.Service) string { return StateDir(s) + "/program.json" }

// CacheDir is DSPy's cache directory.
func CacheDir(s *spec.Service) string { return StateDir(s) + "/cache" }

// Env returns the plain (non-secret) environment of the service container: the user's env plus the
// DSPY_* and LM_* variables the provider derives from the spec. Secrets are not here; see Secrets.
func Env(s *spec.Service) map[string]string {
	env := map[string]string{}
	for k, v := range s.Container.Env {
		env[k] = v
	}
	env["DSPY_SERVICE"] = s.Name
	env["DSPY_PORT"] = strconv.FormatInt(s.Container.Port, 10)
	env["DSPY_HEALTH_PATH"] = s.Container.HealthPath
	env["DSPY_METRICS_PATH"] = s.Container.MetricsPath
	env["DSPY_METRICS_NAMESPACE"] = spec.DSPyNamespace
	env["DSPY_METRICS_DIMENSIONS"] = "service=" + s.Name
	env["DSPY_CACHEDIR"] = CacheDir(s)
	env["DSPY_CACHE_ENABLED"] = strconv.FormatBool(s.LM.Cache.Enabled)
	if t := s.LM.Cache.TTLSeconds; t != nil {
		env["DSPY_CACHE_TTL_SECONDS"] = strconv.FormatInt(*t, 10)
	}
	if s.Program != nil {
		env["DSPY_PROGRAM_PATH"] = ProgramPath(s)
	}
	env["LM_MODEL"] = s.LM.Model
	if s.LM.APIBase != "" {
		env["LM_API_BASE"] = s.LM.APIBase
	}
	if s.LM.MaxTokens != nil {
		env["LM_MAX_TOKENS"] = strconv.FormatInt(*s.LM.MaxTokens, 10)
	}
	if s.LM.Temperature != nil {
		env["LM_TEMPERATURE"] = strconv.FormatFloat(*s.LM.Temperature, 'g', -1, 64)
	}
	return env
}

// Secrets maps each secret variable to the reference it is fetched from at boot.
func Secrets(s *spec.Service) map[string]string {
	out := map[string]string{}
	for k, v := range s.Container.SecretEnv {
		out[k] = v
	}
	if s.LM.APIKeySecret != "" {
		out["LM_API_KEY"] = s.LM.APIKeySecret
	}
	return out
}

// Fetcher is how a cloud's instance reads a secret and downloads an artifact with its own identity.
type Fetcher interface {
	// SecretCommand prints the secret's value on stdout.
	SecretCommand(ref string) string
	// DownloadCommand copies uri to dest.
	DownloadCommand(uri, dest string) string
	// Packages are installed before anything runs.
	Packages() []string
	// Setup returns shell lines run before the container starts (metrics agents).
	Setup() []string
	// CloudEnv is the cloud's part of the environment: where DSPy metrics go (DSPY_METRICS_SINK) and
	// where the service reads its token budget at run time (DSPY_TOKEN_BUDGET_PARAMETER).
	CloudEnv(s *spec.Service) map[string]string
	// StateDevice is the block device the state volume appears as.
	StateDevice() string
}

// AWSFetcher uses the AWS CLI with the instance profile's credentials (IMDSv2). Region is the
// instance's own region.
type AWSFetcher struct{ Region string }

// SecretCommand reads a Secrets Manager secret or an SSM parameter. An ARN is passed whole and the
// call goes to the ARN's region, so a secret kept in another region or shared from another account
// is read where it lives (SSM takes a full ARN as the name, and requires it for a parameter shared
// from another account). A plain name is looked up in the instance's region.
func (f AWSFetcher) SecretCommand(ref string) string {
	region := f.Region
	service, arnRegion, isARN := awsARNParts(ref)
	if isARN && arnRegion != "" {
		region = arnRegion
	}
	if isARN && service == "ssm" {
		return fmt.Sprintf("aws ssm get-parameter --region %s --name %s --with-decryption --query Parameter.Value --output text", region, shellQuote(ref))
	}
	return fmt.Sprintf("aws secretsmanager get-secret-value --region %s --secret-id %s --query SecretString --output text", region, shellQuote(ref))
}

// awsARNParts returns the service and region of an ARN (arn:partition:service:region:account:resource).
func awsARNParts(ref string) (service, region string, ok bool) {
	parts := strings.SplitN(ref, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || !regionRe.MatchString(parts[3]) {
		return "", "", false
	}
	return parts[2], parts[3], true
}

// regionRe keeps what goes unquoted into the script to region-shaped text ("" when the ARN has none).
var regionRe = regexp.MustCompile(`^[a-z0-9-]*$`)

func (f AWSFetcher) DownloadCommand(uri, dest string) string {
	if strings.HasPrefix(uri, "s3://") {
		return fmt.Sprintf("aws s3 cp --region %s %s %s", f.Region, shellQuote(uri), shellQuote(dest))
	}
	return fmt.Sprintf("curl -fsSL --retry 5 -o %s %s", shellQuote(dest), shellQuote(uri))
}

func (f AWSFetcher) Packages() []string {
	return []string{"docker", "awscli-2", "amazon-cloudwatch-agent"}
}

// CloudWatchAgentConfig makes the CloudWatch agent publish mem_used_percent per group (the memory
// scaling metric), in namespace CWAgent with dimension AutoScalingGroupName.
const CloudWatchAgentConfig = `{"agent":{"metrics_collection_interval":60},"metrics":{"namespace":"CWAgent",` +
	`"append_dimensions":{"AutoScalingGroupName":"${aws:AutoScalingGroupName}"},"aggregation_dimensions":[["AutoScalingGroupName"]],` +
	`"metrics_collected":{"mem":{"measurement":["mem_used_percent"]}}}}`

func (f AWSFetcher) Setup() []string {
	const path = "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json"
	return []string{
		"printf '%s\\n' " + shellQuote(CloudWatchAgentConfig) + " > " + path,
		"/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:" + path,
	}
}

// TokenBudgetParameter is the SSM parameter dspy_budget writes a service's monthly token budget to.
func TokenBudgetParameter(service string) string { return "/dspy/" + service + "/token-budget" }

func (f AWSFetcher) CloudEnv(s *spec.Service) map[string]string {
	return map[string]string{"DSPY_METRICS_SINK": "cloudwatch", "DSPY_TOKEN_BUDGET_PARAMETER": TokenBudgetParameter(s.Name)}
}

// StateDevice is the launch template's second device; on Nitro instances udev links it to the NVMe
// device.
func (f AWSFetcher) StateDevice() string { return "/dev/xvdb" }

// Render returns the cloud-init user data for a service. It contains secret references, never secret
// values: secrets are fetched at boot into a tmpfs file that only the container reads.
func Render(s *spec.Service, f Fetcher) (string, error) {
	var b bytes.Buffer
	env := Env(s)
	for k, v := range f.CloudEnv(s) {
		env[k] = v
	}
	data := renderData{Service: s, Fetcher: f, Env: sortedPairs(env), Secrets: sortedPairs(Secrets(s))}
	if s.Program != nil {
		data.Download = f.DownloadCommand(s.Program.ArtifactURI, ProgramPath(s))
	}
	data.StateDir = StateDir(s)
	if s.State != nil {
		data.StateDevice = f.StateDevice()
	}
	if err := cloudInit.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Hash is the content hash of what instances run: the rendered start-up plus the machine image and
// shape. A change in it means instances must be replaced by a rollout.
func Hash(userData string, parts ...string) string {
	h := sha256.New()
	h.Write([]byte(userData))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

type pair struct{ Key, Value string }

type renderData struct {
	Service     *spec.Service
	Fetcher     Fetcher
	Env         []pair
	Secrets     []pair
	Download    string
	StateDir    string
	StateDevice string
}

func sortedPairs(m map[string]string) []pair {
	out := make([]pair, 0, len(m))
	for k, v := range m {
		out = append(out, pair{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// envFileValue quotes a value for a docker --env-file line (no quotes: the rest of the line is the value).
func envFileValue(s string) string { return strings.ReplaceAll(s, "\n", " ") }

func imageRef(s *spec.Service) string { return s.Container.Image }

// RuntimeEnvFile is the container's environment known only at boot: the secrets' values and what a
// fetcher's Setup adds. It is on a tmpfs readable by root alone and written anew at every boot.
const RuntimeEnvFile = "/run/dspy/secret.env"

// secretLines append each secret's value to file (KEY=value). The value is fetched into a variable
// first: under set -e a failed command substitution stops the script only in an assignment, not as
// an argument of printf, which would write an empty value and start the container without its key.
func secretLines(f Fetcher, secrets []pair, file string) []string {
	var out []string
	for _, p := range secrets {
		out = append(out, "value=\"$("+f.SecretCommand(p.Value)+")\"",
			"printf '%s=%s\\n' "+shellQuote(p.Key)+" \"$value\" >> "+shellQuote(file))
	}
	if len(out) > 0 {
		out = append(out, "unset value")
	}
	return out
}

var cloudInit = template.Must(template.New("cloud-init").Funcs(template.FuncMap{
	"q":           shellQuote,
	"envval":      envFileValue,
	"image":       imageRef,
	"secretLines": secretLines,
	"runtimeEnv":  func() string { return RuntimeEnvFile },
}).Parse(`#cloud-config
# Rendered by terraform-provider-dspy for service {{ .Service.Name }}. Contains secret references only.
package_update: false
packages:
{{- range .Fetcher.Packages }}
  - {{ . }}
{{- end }}
write_files:
  - path: {{ "/etc/dspy/service.env" }}
    permissions: "0644"
    content: |
{{- range .Env }}
      {{ .Key }}={{ envval .Value }}
{{- end }}
  - path: /usr/local/bin/dspy-start
    permissions: "0755"
    content: |
      #!/bin/bash
      set -euo pipefail
{{- if .StateDevice }}
      for i in $(seq 1 120); do [ -b {{ .StateDevice }} ] && break; sleep 1; done
      blkid {{ .StateDevice }} >/dev/null 2>&1 || mkfs.xfs -q {{ .StateDevice }}
      mkdir -p {{ q .StateDir }}
      grep -q ' {{ .StateDir }} ' /etc/fstab || echo '{{ .StateDevice }} {{ .StateDir }} xfs defaults,nofail 0 2' >> /etc/fstab
      mountpoint -q {{ q .StateDir }} || mount {{ q .StateDir }}
{{- end }}
      mkdir -p {{ q (printf "%s/cache" .StateDir) }} /run/dspy
      mount | grep -q ' /run/dspy ' || mount -t tmpfs -o mode=0700,size=1m tmpfs /run/dspy
      umask 077
      : > {{ "/run/dspy/secret.env" }}
{{- range secretLines .Fetcher .Secrets runtimeEnv }}
      {{ . }}
{{- end }}
{{- range .Fetcher.Setup }}
      {{ . }}
{{- end }}
{{- if .Download }}
      {{ .Download }}
{{- end }}
      docker pull {{ q (image .Service) }}
      docker rm -f dspy-service >/dev/null 2>&1 || true
      docker run -d --name dspy-service --restart=always --network host \
        --env-file {{ "/etc/dspy/service.env" }} --env-file {{ "/run/dspy/secret.env" }} \
        -v {{ .StateDir }}:{{ .StateDir }} \
{{- if .Service.Container.Command }}
        --entrypoint {{ q (index .Service.Container.Command 0) }} \
{{- end }}
        {{ q (image .Service) }}{{ range $i, $a := .Service.Container.Command }}{{ if $i }} {{ q $a }}{{ end }}{{ end }}{{ range .Service.Container.Args }} {{ q . }}{{ end }}
runcmd:
  - [systemctl, enable, --now, docker]
  - [/usr/local/bin/dspy-start]
`))
