package gcp

import (
	"sort"
	"strconv"
	"strings"

	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/protobuf/proto"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// ServicePlan is everything the service's objects are made from, computed before any call.
type ServicePlan struct {
	Project, Region string
	Service         *spec.Service
	// Labels are the objects' labels (Labels()).
	Labels      map[string]string
	UserData    string
	StartupHash string
	// Spec is the encoded service (spec.EncodeService).
	Spec string
}

// Plan computes a service's plan without a cloud call.
func Plan(project, region string, s *spec.Service, tags map[string]string, owner string) (*ServicePlan, error) {
	ud, err := bootstrap.Render(s, bootstrap.GCPFetcher{Project: project})
	if err != nil {
		return nil, err
	}
	enc, err := spec.EncodeService(s)
	if err != nil {
		return nil, err
	}
	return &ServicePlan{Project: project, Region: region, Service: s, Labels: Labels(tags, s.Name, owner),
		UserData: ud, StartupHash: startupHash(ud, s), Spec: enc}, nil
}

// StartupHash is the content hash of what the service's instances run: the rendered start-up, the
// image, the machine type, the disks, the service account and the network. It is computed from
// configuration alone, so it is known at plan time.
func StartupHash(project string, s *spec.Service) (string, error) {
	ud, err := bootstrap.Render(s, bootstrap.GCPFetcher{Project: project})
	if err != nil {
		return "", err
	}
	return startupHash(ud, s), nil
}

func startupHash(ud string, s *spec.Service) string {
	state := ""
	if s.State != nil {
		state = strconv.FormatInt(s.State.SizeGiB, 10) + s.State.Disk.HashSuffix(spec.GCP)
	}
	spot := "standard"
	if s.Instance.Spot != nil && s.Instance.Spot.Enabled {
		spot = "spot"
	}
	g := s.GCP
	return bootstrap.Hash(ud, Image(s), s.Instance.Type, strconv.FormatInt(s.Instance.DiskGiB, 10)+s.Instance.Disk.HashSuffix(spec.GCP), state, spot,
		g.ServiceAccount, g.Network, g.Subnetwork)
}

// Image is the boot image: gcp.image, else Ubuntu 24.04 LTS for the architecture
// (bootstrap.GCPImageFamilies says why).
func Image(s *spec.Service) string {
	if s.GCP.Image != "" {
		return s.GCP.Image
	}
	if img, ok := bootstrap.GCPImageFamilies[s.Instance.Architecture]; ok {
		return img
	}
	return bootstrap.GCPImageFamilies["x86_64"]
}

// DefaultDiskGiB is the boot disk size when instance.disk_gib is not set.
const DefaultDiskGiB = 30

// InstanceTemplate is the regional template every instance of the group is made from: the shared
// bootstrap as cloud-init user data, Shielded VM, no external IP, a boot disk of instance.disk_type
// (pd-balanced unless set) and the optional state disk of state.disk_type, the service account with the cloud-platform scope (its IAM roles limit it),
// and Spot or standard provisioning. statePolicies are the snapshot schedules attached to the state
// disk (dspy_backup_schedule).
func InstanceTemplate(p *ServicePlan, statePolicies []string) *computepb.InstanceTemplate {
	s, g := p.Service, p.Service.GCP
	disk := s.Instance.DiskGiB
	if disk == 0 {
		disk = DefaultDiskGiB
	}
	disks := []*computepb.AttachedDisk{{
		Boot: proto.Bool(true), AutoDelete: proto.Bool(true), Type: proto.String("PERSISTENT"), Mode: proto.String("READ_WRITE"),
		InitializeParams: &computepb.AttachedDiskInitializeParams{SourceImage: proto.String(Image(s)), DiskSizeGb: proto.Int64(disk),
			DiskType: proto.String(s.Instance.Disk.EffectiveType(spec.GCP)), Labels: p.Labels},
	}}
	if st := s.State; st != nil {
		disks = append(disks, &computepb.AttachedDisk{
			DeviceName: proto.String(bootstrap.GCPStateDeviceName), AutoDelete: proto.Bool(true), Type: proto.String("PERSISTENT"), Mode: proto.String("READ_WRITE"),
			InitializeParams: &computepb.AttachedDiskInitializeParams{DiskSizeGb: proto.Int64(st.SizeGiB), DiskType: proto.String(st.Disk.EffectiveType(spec.GCP)),
				Labels: p.Labels, ResourcePolicies: statePolicies},
		})
	}
	network := g.Network
	if network == "" {
		network = "global/networks/default"
	}
	nic := &computepb.NetworkInterface{Network: proto.String(network)}
	if g.Subnetwork != "" {
		nic.Subnetwork = proto.String(g.Subnetwork)
	}
	account := g.ServiceAccount
	if account == "" {
		account = "default"
	}
	return &computepb.InstanceTemplate{
		Name:        proto.String(templateNameWith(s.Name, p.StartupHash, statePolicies)),
		Description: proto.String("dspy service " + s.Name + ", startup " + p.StartupHash),
		Properties: &computepb.InstanceProperties{
			MachineType:       proto.String(s.Instance.Type),
			Disks:             disks,
			NetworkInterfaces: []*computepb.NetworkInterface{nic},
			ServiceAccounts:   []*computepb.ServiceAccount{{Email: proto.String(account), Scopes: []string{"https://www.googleapis.com/auth/cloud-platform"}}},
			ShieldedInstanceConfig: &computepb.ShieldedInstanceConfig{
				EnableSecureBoot: proto.Bool(true), EnableVtpm: proto.Bool(true), EnableIntegrityMonitoring: proto.Bool(true)},
			Metadata: &computepb.Metadata{Items: metadataItems(map[string]string{
				"user-data": p.UserData, "enable-oslogin": "TRUE", "google-logging-enabled": "true", MetadataStartupHash: p.StartupHash})},
			Labels:     p.Labels,
			Scheduling: scheduling(s),
		},
	}
}

// scheduling is Spot (deleted on preemption: the group re-creates the instance, and a stopped
// instance would keep its disks billed for nothing) or standard provisioning that live-migrates.
func scheduling(s *spec.Service) *computepb.Scheduling {
	if sp := s.Instance.Spot; sp != nil && sp.Enabled {
		return &computepb.Scheduling{ProvisioningModel: proto.String("SPOT"), InstanceTerminationAction: proto.String("DELETE"),
			OnHostMaintenance: proto.String("TERMINATE"), AutomaticRestart: proto.Bool(false), Preemptible: proto.Bool(true)}
	}
	return &computepb.Scheduling{ProvisioningModel: proto.String("STANDARD"), OnHostMaintenance: proto.String("MIGRATE"), AutomaticRestart: proto.Bool(true)}
}

func metadataItems(m map[string]string) []*computepb.Items {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*computepb.Items, 0, len(keys))
	for _, k := range keys {
		out = append(out, &computepb.Items{Key: proto.String(k), Value: proto.String(m[k])})
	}
	return out
}

// HealthCheck probes health_path on the container port over HTTP; the group heals with it and the
// backend service balances with it.
func HealthCheck(p *ServicePlan) *computepb.HealthCheck {
	c := p.Service.Container
	return &computepb.HealthCheck{
		Name:               proto.String(HealthCheckName(p.Service.Name)),
		Description:        proto.String("dspy service " + p.Service.Name + " owner " + p.Labels[LabelOwner]),
		Type:               proto.String("HTTP"),
		CheckIntervalSec:   proto.Int32(10),
		TimeoutSec:         proto.Int32(5),
		HealthyThreshold:   proto.Int32(2),
		UnhealthyThreshold: proto.Int32(3),
		HttpHealthCheck:    &computepb.HTTPHealthCheck{Port: proto.Int32(int32(c.Port)), RequestPath: proto.String(c.HealthPath)},
	}
}

// GroupManager is the regional managed instance group: target size capacity.initial (at create
// only), spread evenly over gcp.zones, healed with the health check after the grace period, replaced
// proactively by a rollout bounded by rollout's percentages. Its all-instances configuration carries
// the labels, so a tags change needs no new template (the group applies it under the same update
// policy as a rollout).
func GroupManager(p *ServicePlan, templateURL, healthCheckURL string) *computepb.InstanceGroupManager {
	s := p.Service
	m := &computepb.InstanceGroupManager{
		Name:             proto.String(GroupName(s.Name)),
		Description:      proto.String("dspy service " + s.Name),
		BaseInstanceName: proto.String(s.Name),
		InstanceTemplate: proto.String(templateURL),
		TargetSize:       proto.Int32(int32(s.Capacity.InitialSize())),
		NamedPorts:       []*computepb.NamedPort{{Name: proto.String(PortName), Port: proto.Int32(int32(s.Container.Port))}},
		UpdatePolicy:     UpdatePolicy(s.Rollout),
		AllInstancesConfig: &computepb.InstanceGroupManagerAllInstancesConfig{Properties: &computepb.InstancePropertiesPatch{
			Labels: p.Labels}},
	}
	if zones := s.GCP.Zones; len(zones) > 0 {
		dp := &computepb.DistributionPolicy{TargetShape: proto.String("EVEN")}
		for _, z := range zones {
			dp.Zones = append(dp.Zones, &computepb.DistributionPolicyZoneConfiguration{Zone: proto.String(ZoneURL(p.Project, z))})
		}
		m.DistributionPolicy = dp
	}
	m.AutoHealingPolicies = AutoHealing(s, healthCheckURL)
	return m
}

// AutoHealing is the group's auto-healing policy: none without health.auto_repair.
func AutoHealing(s *spec.Service, healthCheckURL string) []*computepb.InstanceGroupManagerAutoHealingPolicy {
	if !s.Health.AutoRepair {
		return nil
	}
	return []*computepb.InstanceGroupManagerAutoHealingPolicy{{HealthCheck: proto.String(healthCheckURL),
		InitialDelaySec: proto.Int32(int32(s.Health.GracePeriodSeconds))}}
}

// UpdatePolicy replaces instances proactively when the template changes: at most
// max_unavailable_percent unavailable and as many extra (surge) instances, as percentages (a
// regional group refuses a fixed surge below its number of zones; percentages have no such floor).
func UpdatePolicy(r spec.Rollout) *computepb.InstanceGroupManagerUpdatePolicy {
	unavailable := r.MaxUnavailablePercent
	if unavailable <= 0 {
		unavailable = 100 - r.MinHealthyPercent
	}
	return &computepb.InstanceGroupManagerUpdatePolicy{
		Type:              proto.String("PROACTIVE"),
		MinimalAction:     proto.String("REPLACE"),
		ReplacementMethod: proto.String("SUBSTITUTE"),
		MaxSurge:          &computepb.FixedOrPercent{Percent: proto.Int32(int32(unavailable))},
		MaxUnavailable:    &computepb.FixedOrPercent{Percent: proto.Int32(int32(unavailable))},
	}
}

// LocalityPolicy is the backend service's localityLbPolicy for a load-balancing algorithm.
func LocalityPolicy(algorithm string) string {
	return map[string]string{spec.AlgorithmRoundRobin: "ROUND_ROBIN", spec.AlgorithmLeastRequests: "LEAST_REQUEST",
		spec.AlgorithmWeighted: "WEIGHTED_ROUND_ROBIN"}[algorithm]
}

// AlgorithmOf reverses LocalityPolicy ("" for a policy the provider does not set).
func AlgorithmOf(policy string) string {
	for _, a := range []string{spec.AlgorithmRoundRobin, spec.AlgorithmLeastRequests, spec.AlgorithmWeighted} {
		if LocalityPolicy(a) == policy {
			return a
		}
	}
	return ""
}

// DefaultMaxRatePerInstance is the requests per second per instance the backend service balances to
// when no scaling policy sets requests_per_instance.
const DefaultMaxRatePerInstance = 100

// BackendService puts the group behind a regional internal Application Load Balancer backend
// (INTERNAL_MANAGED: a DSPy service usually serves other services of the VPC; the forwarding rule
// and URL map in front are the user's, as with AWS listeners), balanced by rate with the health
// check and the algorithm's locality policy.
func BackendService(p *ServicePlan, instanceGroupURL, healthCheckURL string) *computepb.BackendService {
	s := p.Service
	return &computepb.BackendService{
		Name:                proto.String(BackendServiceName(s.Name)),
		Description:         proto.String("dspy service " + s.Name + " owner " + p.Labels[LabelOwner]),
		LoadBalancingScheme: proto.String("INTERNAL_MANAGED"),
		Protocol:            proto.String("HTTP"),
		PortName:            proto.String(PortName),
		HealthChecks:        []string{healthCheckURL},
		LocalityLbPolicy:    proto.String(LocalityPolicy(s.LoadBalancing.Algorithm)),
		Backends: []*computepb.Backend{{Group: proto.String(instanceGroupURL), BalancingMode: proto.String("RATE"),
			MaxRatePerInstance: proto.Float32(DefaultMaxRatePerInstance), CapacityScaler: proto.Float32(1)}},
	}
}

// Autoscaler is the service's regional autoscaler: it holds capacity.min and capacity.max, which a
// managed instance group alone has no place for. It does not scale (mode OFF) until a
// dspy_scaling_policy gives it signals. Its description keeps the encoded service as applied
// (secret references only, never values): what an import restores.
func Autoscaler(p *ServicePlan, groupURL string) *computepb.Autoscaler {
	c := p.Service.Capacity
	return &computepb.Autoscaler{
		Name:        proto.String(AutoscalerName(p.Service.Name)),
		Description: proto.String(AutoscalerDescription(p)),
		Target:      proto.String(groupURL),
		AutoscalingPolicy: &computepb.AutoscalingPolicy{Mode: proto.String("OFF"),
			MinNumReplicas: proto.Int32(int32(c.Min)), MaxNumReplicas: proto.Int32(int32(c.Max)),
			CoolDownPeriodSec: proto.Int32(int32(max(p.Service.Health.GracePeriodSeconds, 60)))},
	}
}

// OwnerOfDescription reads the owner token a description written by this package carries ("" when
// it carries none).
func OwnerOfDescription(desc string) string {
	_, after, ok := strings.Cut(desc, " owner ")
	if !ok {
		return ""
	}
	token, _, _ := strings.Cut(after, specMark)
	return strings.TrimSpace(token)
}

const specMark = " spec "

// AutoscalerDescription is the autoscaler's description: the service, the owner token and the
// encoded service.
func AutoscalerDescription(p *ServicePlan) string {
	return "dspy service " + p.Service.Name + " owner " + p.Labels[LabelOwner] + specMark + p.Spec
}

// SpecOfDescription is the encoded service an autoscaler's description keeps ("" for none).
func SpecOfDescription(desc string) string {
	_, enc, _ := strings.Cut(desc, specMark)
	enc, _, _ = strings.Cut(enc, policyMark)
	return strings.TrimSpace(enc)
}

const policyMark = " policy "

// PolicyOfDescription is the encoded scaling policy an autoscaler's description keeps ("" for none).
func PolicyOfDescription(desc string) string {
	_, enc, _ := strings.Cut(desc, policyMark)
	return strings.TrimSpace(enc)
}

// WithPolicy is desc keeping the encoded policy enc instead of the one it kept ("" keeps none).
func WithPolicy(desc, enc string) string {
	base, _, _ := strings.Cut(desc, policyMark)
	if enc == "" {
		return base
	}
	return base + policyMark + enc
}
