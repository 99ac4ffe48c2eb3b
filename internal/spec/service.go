package spec

import "slices"

// Defaults shared by the schema and validation, so a value left out is checked as the default it gets.
const (
	DefaultPort               = 8000
	DefaultHealthPath         = "/health"
	DefaultMetricsPath        = "/metrics"
	DefaultModel              = "openai/gpt-4o-mini"
	DefaultDiskGiB            = 30
	DefaultArchitecture       = "x86_64"
	DefaultSpotStrategy       = "price-capacity-optimized"
	DefaultMaxUnavailablePct  = 25
	DefaultMinHealthyPct      = 75
	DefaultGracePeriodSeconds = 300
	DefaultAlgorithm          = AlgorithmRoundRobin
)

// Load-balancing algorithms.
const (
	AlgorithmRoundRobin    = "round_robin"
	AlgorithmLeastRequests = "least_requests"
	AlgorithmWeighted      = "weighted"
	AlgorithmAdaptive      = "adaptive"
)

// Algorithms lists every load-balancing algorithm.
var Algorithms = []string{AlgorithmRoundRobin, AlgorithmLeastRequests, AlgorithmWeighted, AlgorithmAdaptive}

// Architectures lists the CPU architectures an instance can have.
var Architectures = []string{"x86_64", "arm64"}

// SpotStrategies lists the spot allocation strategies (AWS names; see the capability table).
var SpotStrategies = []string{"price-capacity-optimized", "capacity-optimized", "lowest-price"}

// Service is a DSPy service: a container that runs a DSPy program against a language model, on a group
// of instances in one cloud.
type Service struct {
	Name          string
	Description   string
	Tags          map[string]string
	Container     Container
	LM            LM
	Program       *Program
	Capacity      Capacity
	Instance      Instance
	Rollout       Rollout
	Health        Health
	LoadBalancing *LoadBalancing
	State         *StateVolume
	AWS           *AWSPlacement
	GCP           *GCPPlacement
	Azure         *AzurePlacement
	// Blocks lists the optional blocks whose settings all have defaults (lm, lm.cache, rollout,
	// health) that the configuration wrote, so an import restores the configuration's shape.
	Blocks []string `json:",omitempty"`
}

// HasBlock reports whether the configuration wrote the optional block name.
func (s *Service) HasBlock(name string) bool { return slices.Contains(s.Blocks, name) }

// Container is what each instance runs.
type Container struct {
	Image       string
	Port        int64
	Command     []string
	Args        []string
	Env         map[string]string
	SecretEnv   map[string]string // variable name → secret store reference
	HealthPath  string
	MetricsPath string
}

// LM is the language model the DSPy program calls.
type LM struct {
	Model        string
	APIBase      string
	APIKeySecret string
	MaxTokens    *int64
	Temperature  *float64
	Cache        LMCache
}

// LMCache configures DSPy's response cache on the instance.
type LMCache struct {
	Enabled    bool
	TTLSeconds *int64
}

// Program is a compiled DSPy program (the JSON written by program.save()).
type Program struct{ ArtifactURI string }

// Capacity bounds the group. Initial is used at create only; the live size is the cloud's business.
type Capacity struct {
	Min     int64
	Max     int64
	Initial *int64
}

// InitialSize is the desired size at create: Initial, or Min when Initial is not set (at least 1).
func (c Capacity) InitialSize() int64 {
	if c.Initial != nil {
		return *c.Initial
	}
	if c.Min > 0 {
		return c.Min
	}
	return 1
}

// Instance is the machine shape: a type, or a vCPU and memory size for which the cheapest type is chosen.
type Instance struct {
	Type      string
	Types     []string // extra types that can serve the group (AWS mixed instances overrides)
	VCPUs     *int64
	MemoryGiB *float64
	// TypeChosen says Type was chosen for VCPUs and MemoryGiB (the cheapest catalog type of that
	// shape), not configured.
	TypeChosen bool `json:",omitempty"`
	DiskGiB    int64
	// Disk is the root disk's type and performance (the zero Disk: the cloud's default).
	Disk         Disk `json:",omitzero"`
	Architecture string
	Spot         *Spot
}

// Spot runs part or all of the group on spot capacity.
type Spot struct {
	Enabled                  bool
	OnDemandBase             int64
	OnDemandPercentAboveBase int64
	Strategy                 string
	MaxPrice                 *float64
}

// Rollout governs the rolling replacement that follows a change to what instances run.
type Rollout struct {
	MaxUnavailablePercent int64
	MinHealthyPercent     int64
	AutoRollback          bool
	Wait                  bool
}

// Health governs instance health checking and repair.
type Health struct {
	GracePeriodSeconds int64
	AutoRepair         bool
}

// StateVolume is a second disk on every instance for the DSPy cache and program artifacts; it is
// what dspy_backup_schedule backs up.
type StateVolume struct {
	SizeGiB   int64
	MountPath string
	// Disk is the state disk's type and performance (the zero Disk: the cloud's default).
	Disk Disk `json:",omitzero"`
}

// DefaultStateMountPath is where the state volume is mounted unless configured otherwise.
const DefaultStateMountPath = "/var/lib/dspy"

// LoadBalancing puts the group behind the cloud's load balancer.
type LoadBalancing struct{ Algorithm string }

// AWSPlacement says where the service runs on AWS.
type AWSPlacement struct {
	Region            string
	SubnetIDs         []string
	SecurityGroupIDs  []string
	VPCID             string
	InstanceProfile   string
	AMIID             string
	AssociatePublicIP bool
}

// GCPPlacement says where the service runs on Google Cloud.
type GCPPlacement struct {
	Project        string
	Region         string
	Zones          []string
	Network        string
	Subnetwork     string
	ServiceAccount string
	Image          string
}

// AzurePlacement says where the service runs on Azure.
type AzurePlacement struct {
	ResourceGroup string
	Location      string
	SubnetID      string
	Zones         []string
	Image         string
	// IdentityID is the user-assigned managed identity the instances run as (its resource id);
	// "" gives the scale set a system-assigned identity.
	IdentityID string `json:",omitempty"`
	// PublicIP gives each instance a Standard public IP address.
	PublicIP bool `json:",omitempty"`
}

// Cloud returns the cloud whose placement block is set, or "" when none or several are.
func (s *Service) Cloud() Cloud {
	var found []Cloud
	if s.AWS != nil {
		found = append(found, AWS)
	}
	if s.GCP != nil {
		found = append(found, GCP)
	}
	if s.Azure != nil {
		found = append(found, Azure)
	}
	if len(found) != 1 {
		return ""
	}
	return found[0]
}

// ID returns the service's id; ok is false when the placement does not determine it yet (no cloud, or
// an AWS region left to the provider configuration and not given as fallback).
func (s *Service) ID(defaultAWSRegion, defaultGCPProject, defaultGCPRegion string) (ServiceID, bool) {
	id := ServiceID{Cloud: s.Cloud(), Name: s.Name}
	switch id.Cloud {
	case AWS:
		id.Scope = first(s.AWS.Region, defaultAWSRegion)
	case GCP:
		p, r := first(s.GCP.Project, defaultGCPProject), first(s.GCP.Region, defaultGCPRegion)
		if p == "" || r == "" {
			return id, false
		}
		id.Scope = p + "/" + r
	case Azure:
		id.Scope = s.Azure.ResourceGroup
	default:
		return id, false
	}
	return id, id.Scope != "" && id.Name != ""
}

func first(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
