// Package manifest renders a DSPy service as Kubernetes or Docker Compose YAML, for teams that run
// it on a cluster: the same container, LM settings and program as dspy_service, with the same
// DSPY_*/LM_* environment the cloud instances get.
package manifest

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Options are what a cluster needs beyond the service spec.
type Options struct {
	Namespace string
	// CPU and Memory are the container's requests (and limits), Kubernetes quantities.
	CPU, Memory string
	// Targets of the HorizontalPodAutoscaler; nil leaves a metric out.
	CPUTargetPercent       *int64
	TokensPerMinute        *int64
	LMCallsPerMinute       *int64
	StateDir               string
	ProgramDownloaderImage string
}

// SecretRefRe is a reference to a key of an existing Kubernetes Secret (or, for Compose, of a Docker
// secret): <secret-name>/<key>.
var SecretRefRe = regexp.MustCompile(`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[-._a-zA-Z0-9]+$`)

// Validate checks what the renderers need, with attribute paths.
func Validate(s *spec.Service, o Options) spec.Problems {
	var ps spec.Problems
	bad := func(p spec.Path, summary, detail string) {
		ps = append(ps, spec.Problem{Path: p, Summary: summary, Detail: detail})
	}
	if !spec.ValidName(s.Name) {
		bad(spec.Root("name"), "Invalid Name", fmt.Sprintf("name = %q must be 1 to %d lowercase letters, digits and hyphens, starting with a letter.", s.Name, spec.MaxNameLength))
	}
	if s.Container.Image == "" {
		bad(spec.Root("container").At("image"), "Missing Image", "container.image is required.")
	}
	check := func(p spec.Path, v string) {
		switch {
		case v == "":
		case spec.LooksLikePlaintextSecret(v):
			bad(p, "Plaintext Secret Refused", p.String()+" looks like a plaintext credential; give a reference <secret-name>/<key> to an existing Secret instead.")
		case !SecretRefRe.MatchString(v):
			bad(p, "Invalid Secret Reference", fmt.Sprintf("%s = %q must be <secret-name>/<key>, a key of an existing Kubernetes Secret (Compose: a Docker secret).", p, v))
		}
	}
	check(spec.Root("lm").At("api_key_secret"), s.LM.APIKeySecret)
	for _, k := range sortedKeys(s.Container.SecretEnv) {
		check(spec.Root("container").At("secret_env").Key(k), s.Container.SecretEnv[k])
	}
	if s.Capacity.Min < 1 || s.Capacity.Max < s.Capacity.Min {
		bad(spec.Root("replicas").At("min"), "Invalid Replicas", fmt.Sprintf("replicas.min = %d must be at least 1 and at most replicas.max = %d.", s.Capacity.Min, s.Capacity.Max))
	}
	if t := o.CPUTargetPercent; t != nil && (*t < 1 || *t > 100) {
		bad(spec.Root("autoscaling").At("cpu_target_percent"), "Invalid Target", fmt.Sprintf("autoscaling.cpu_target_percent = %d must be between 1 and 100.", *t))
	}
	for name, t := range map[string]*int64{"tokens_per_minute": o.TokensPerMinute, "lm_calls_per_minute": o.LMCallsPerMinute} {
		if t != nil && *t < 1 {
			bad(spec.Root("autoscaling").At(name), "Invalid Target", fmt.Sprintf("autoscaling.%s = %d must be above 0.", name, *t))
		}
	}
	return ps
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// secretParts splits <secret>/<key>.
func secretParts(ref string) (string, string) {
	name, key, _ := strings.Cut(ref, "/")
	return name, key
}

// plainEnv is the service's plain environment as the instances get it, with the program's URI for
// clusters (instances download it at boot; a pod's init container or the app does).
func plainEnv(s *spec.Service) map[string]string {
	env := bootstrap.Env(s)
	if s.Program != nil {
		env["DSPY_PROGRAM_URI"] = s.Program.ArtifactURI
	}
	return env
}
