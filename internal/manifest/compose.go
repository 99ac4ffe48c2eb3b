package manifest

import (
	"strconv"

	"sigs.k8s.io/yaml"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func fmtInt(v int64) string { return strconv.FormatInt(v, 10) }

// ComposeFile is the subset of the Compose specification the renderer writes.
type ComposeFile struct {
	Services map[string]ComposeService `json:"services"`
	Secrets  map[string]ComposeSecret  `json:"secrets,omitempty"`
	Volumes  map[string]struct{}       `json:"volumes,omitempty"`
}

// ComposeService is one service.
type ComposeService struct {
	Image       string            `json:"image"`
	Entrypoint  []string          `json:"entrypoint,omitempty"`
	Command     []string          `json:"command,omitempty"`
	Ports       []string          `json:"ports"`
	Environment map[string]string `json:"environment"`
	Secrets     []string          `json:"secrets,omitempty"`
	Volumes     []string          `json:"volumes"`
	Healthcheck ComposeHealth     `json:"healthcheck"`
	Deploy      ComposeDeploy     `json:"deploy"`
	Restart     string            `json:"restart"`
}

// ComposeHealth is a health check.
type ComposeHealth struct {
	Test     []string `json:"test"`
	Interval string   `json:"interval"`
	Retries  int      `json:"retries"`
}

// ComposeDeploy sets the replica count.
type ComposeDeploy struct {
	Replicas int64 `json:"replicas"`
}

// ComposeSecret is a secret that exists outside the file.
type ComposeSecret struct {
	External bool `json:"external"`
}

// Compose renders the service for Docker Compose: the API key and secret variables come from
// external secrets mounted under /run/secrets, pointed to by <VAR>_FILE variables.
func Compose(s *spec.Service, o Options) (string, error) {
	env := plainEnv(s)
	svc := ComposeService{
		Image:       s.Container.Image,
		Ports:       []string{fmtInt(s.Container.Port) + ":" + fmtInt(s.Container.Port)},
		Environment: env,
		Volumes:     []string{"dspy-state:" + bootstrap.StateDir(s)},
		Healthcheck: ComposeHealth{Test: []string{"CMD", "curl", "-fsS", "http://localhost:" + fmtInt(s.Container.Port) + s.Container.HealthPath}, Interval: "10s", Retries: 3},
		Deploy:      ComposeDeploy{Replicas: s.Capacity.InitialSize()},
		Restart:     "unless-stopped",
	}
	if len(s.Container.Command) > 0 {
		svc.Entrypoint = s.Container.Command
	}
	if len(s.Container.Args) > 0 {
		svc.Command = s.Container.Args
	}
	f := ComposeFile{Services: map[string]ComposeService{}, Secrets: map[string]ComposeSecret{}, Volumes: map[string]struct{}{"dspy-state": {}}}
	addSecret := func(variable, ref string) {
		name, _ := secretParts(ref)
		svc.Secrets = append(svc.Secrets, name)
		env[variable+"_FILE"] = "/run/secrets/" + name
		f.Secrets[name] = ComposeSecret{External: true}
	}
	if s.LM.APIKeySecret != "" {
		addSecret("LM_API_KEY", s.LM.APIKeySecret)
	}
	for _, k := range sortedKeys(s.Container.SecretEnv) {
		addSecret(k, s.Container.SecretEnv[k])
	}
	if len(f.Secrets) == 0 {
		f.Secrets = nil
	}
	f.Services[s.Name] = svc
	b, err := yaml.Marshal(f)
	return string(b), err
}
