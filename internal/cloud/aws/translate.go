package aws

import (
	"encoding/base64"
	"regexp"
	"sort"
	"strconv"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Tag keys the provider sets on every object of a service.
const (
	TagService = "dspy:service"
	// VersionPrefix starts the description of every launch template version the provider writes;
	// the rest is the startup hash, so Read learns what the group runs from the version it uses.
	VersionPrefix = "startup "
	// RootDevice is the root volume of Amazon Linux 2023 AMIs.
	RootDevice = "/dev/xvda"
	// StateDevice is the state volume (the bootstrap mounts it).
	StateDevice = "/dev/xvdb"
)

// AMIParameter is the public SSM parameter holding the latest Amazon Linux 2023 AMI for arch.
func AMIParameter(arch string) string {
	return "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-" + arch
}

var gravitonRe = regexp.MustCompile(`^[a-z]+\d+[a-z]*g[a-z]*\.`)

// IsGraviton reports whether an instance type runs on AWS Graviton (Arm), e.g. m7g.large, c6gn.xlarge.
func IsGraviton(instanceType string) bool { return gravitonRe.MatchString(instanceType) }

// SpecTagPrefix starts the launch template tags that keep the encoded service, split into chunks of
// SpecChunk characters: what an import reads to restore the configuration exactly.
const (
	SpecTagPrefix = "dspy:spec/"
	SpecChunk     = 255
	maxSpecTags   = 40
)

// SpecTags splits an encoded service into launch template tags.
func SpecTags(encoded string) map[string]string { return ChunkTags(SpecTagPrefix, encoded) }

// SpecFromTags joins the chunks written by SpecTags; "" when there are none.
func SpecFromTags(tags map[string]string) string { return JoinTags(SpecTagPrefix, tags) }

// ChunkTags splits an encoded value into tags prefix0, prefix1, … of at most SpecChunk characters.
func ChunkTags(prefix, encoded string) map[string]string {
	out := map[string]string{}
	for i := 0; len(encoded) > 0; i++ {
		n := min(SpecChunk, len(encoded))
		out[prefix+strconv.Itoa(i)] = encoded[:n]
		encoded = encoded[n:]
	}
	return out
}

// JoinTags joins the chunks written by ChunkTags; "" when there are none.
func JoinTags(prefix string, tags map[string]string) string {
	var b strings.Builder
	for i := 0; ; i++ {
		v, ok := tags[prefix+strconv.Itoa(i)]
		if !ok {
			return b.String()
		}
		b.WriteString(v)
	}
}

// Plan is everything the translation needs that is not in the spec: resolved at apply time.
type Plan struct {
	Service  *spec.Service
	AMI      string
	UserData string
	// Tags is tags_all: provider default tags, the service's tags and the service tag.
	Tags        map[string]string
	StartupHash string
	// SpecTags go on the launch template only (see SpecTags).
	SpecTags map[string]string
	// Owner is the owner token tagged on every object a create makes (cloud.OwnerTagKey).
	Owner string
}

// Names of the service's objects. Every name is the service name (at most 32 characters, which fits
// the target group limit); the dspy:service tag marks them.
func GroupName(s *spec.Service) string          { return s.Name }
func LaunchTemplateName(s *spec.Service) string { return s.Name }
func TargetGroupName(s *spec.Service) string    { return s.Name }

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func ec2Tags(m map[string]string) []ec2types.Tag {
	out := make([]ec2types.Tag, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, ec2types.Tag{Key: sdkaws.String(k), Value: sdkaws.String(m[k])})
	}
	return out
}

// LaunchTemplateData is what every instance of the group is launched with: IMDSv2 only with hop
// limit 1, an encrypted root volume of instance.disk_type (gp3 unless set), no public IP unless asked, and the tags on the instance and
// its volumes.
func LaunchTemplateData(p *Plan) *ec2types.RequestLaunchTemplateData {
	s := p.Service
	d := &ec2types.RequestLaunchTemplateData{
		ImageId:  sdkaws.String(p.AMI),
		UserData: sdkaws.String(base64.StdEncoding.EncodeToString([]byte(p.UserData))),
		MetadataOptions: &ec2types.LaunchTemplateInstanceMetadataOptionsRequest{
			HttpEndpoint:            ec2types.LaunchTemplateInstanceMetadataEndpointStateEnabled,
			HttpTokens:              ec2types.LaunchTemplateHttpTokensStateRequired,
			HttpPutResponseHopLimit: sdkaws.Int32(1),
		},
		BlockDeviceMappings: []ec2types.LaunchTemplateBlockDeviceMappingRequest{{
			DeviceName: sdkaws.String(RootDevice),
			Ebs: &ec2types.LaunchTemplateEbsBlockDeviceRequest{
				VolumeSize:          sdkaws.Int32(int32(s.Instance.DiskGiB)),
				VolumeType:          ec2types.VolumeType(s.Instance.Disk.EffectiveType(spec.AWS)),
				Iops:                provisioned(s.Instance.Disk.IOPS),
				Throughput:          provisioned(s.Instance.Disk.ThroughputMBps),
				Encrypted:           sdkaws.Bool(true),
				DeleteOnTermination: sdkaws.Bool(true),
			},
		}},
		NetworkInterfaces: []ec2types.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest{{
			DeviceIndex:              sdkaws.Int32(0),
			AssociatePublicIpAddress: sdkaws.Bool(s.AWS.AssociatePublicIP),
			Groups:                   s.AWS.SecurityGroupIDs,
			DeleteOnTermination:      sdkaws.Bool(true),
		}},
		TagSpecifications: []ec2types.LaunchTemplateTagSpecificationRequest{
			{ResourceType: ec2types.ResourceTypeInstance, Tags: ec2Tags(p.Tags)},
			{ResourceType: ec2types.ResourceTypeVolume, Tags: ec2Tags(p.Tags)},
		},
	}
	if st := s.State; st != nil {
		d.BlockDeviceMappings = append(d.BlockDeviceMappings, ec2types.LaunchTemplateBlockDeviceMappingRequest{
			DeviceName: sdkaws.String(StateDevice),
			Ebs: &ec2types.LaunchTemplateEbsBlockDeviceRequest{
				VolumeSize:          sdkaws.Int32(int32(st.SizeGiB)),
				VolumeType:          ec2types.VolumeType(st.Disk.EffectiveType(spec.AWS)),
				Iops:                provisioned(st.Disk.IOPS),
				Throughput:          provisioned(st.Disk.ThroughputMBps),
				Encrypted:           sdkaws.Bool(true),
				DeleteOnTermination: sdkaws.Bool(true),
			},
		})
	}
	if !usesMixedPolicy(s) {
		d.InstanceType = ec2types.InstanceType(s.Instance.Type)
	}
	if ip := s.AWS.InstanceProfile; ip != "" {
		if strings.HasPrefix(ip, "arn:") {
			d.IamInstanceProfile = &ec2types.LaunchTemplateIamInstanceProfileSpecificationRequest{Arn: sdkaws.String(ip)}
		} else {
			d.IamInstanceProfile = &ec2types.LaunchTemplateIamInstanceProfileSpecificationRequest{Name: sdkaws.String(ip)}
		}
	}
	return d
}

// CreateLaunchTemplate creates the service's template (version 1).
func CreateLaunchTemplate(p *Plan) *ec2.CreateLaunchTemplateInput {
	return &ec2.CreateLaunchTemplateInput{
		LaunchTemplateName: sdkaws.String(LaunchTemplateName(p.Service)),
		VersionDescription: sdkaws.String(VersionPrefix + p.StartupHash),
		LaunchTemplateData: LaunchTemplateData(p),
		TagSpecifications:  []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeLaunchTemplate, Tags: ec2Tags(merge(ownedTags(p.Tags, p.Owner), p.SpecTags))}},
	}
}

// CreateLaunchTemplateVersion adds a version for a changed start-up.
func CreateLaunchTemplateVersion(p *Plan, templateID string) *ec2.CreateLaunchTemplateVersionInput {
	return &ec2.CreateLaunchTemplateVersionInput{
		LaunchTemplateId:   sdkaws.String(templateID),
		VersionDescription: sdkaws.String(VersionPrefix + p.StartupHash),
		LaunchTemplateData: LaunchTemplateData(p),
	}
}

// Target group algorithm attribute values.
var algorithms = map[string]string{
	spec.AlgorithmRoundRobin:    "round_robin",
	spec.AlgorithmLeastRequests: "least_outstanding_requests",
	spec.AlgorithmWeighted:      "weighted_random",
	spec.AlgorithmAdaptive:      "weighted_random",
}

// AlgorithmOf maps target group attributes back to the spec's algorithm name.
func AlgorithmOf(attrs map[string]string) string {
	switch attrs["load_balancing.algorithm.type"] {
	case "least_outstanding_requests":
		return spec.AlgorithmLeastRequests
	case "weighted_random":
		if attrs["load_balancing.algorithm.anomaly_mitigation"] == "on" {
			return spec.AlgorithmAdaptive
		}
		return spec.AlgorithmWeighted
	}
	return spec.AlgorithmRoundRobin
}

// CreateTargetGroup is an HTTP target group on the container port, health-checked on health_path.
func CreateTargetGroup(p *Plan) *elbv2.CreateTargetGroupInput {
	s := p.Service
	all := ownedTags(p.Tags, p.Owner)
	tags := make([]elbtypes.Tag, 0, len(all))
	for _, k := range sortedKeys(all) {
		tags = append(tags, elbtypes.Tag{Key: sdkaws.String(k), Value: sdkaws.String(all[k])})
	}
	return &elbv2.CreateTargetGroupInput{
		Name:                sdkaws.String(TargetGroupName(s)),
		Protocol:            elbtypes.ProtocolEnumHttp,
		Port:                sdkaws.Int32(int32(s.Container.Port)),
		VpcId:               sdkaws.String(s.AWS.VPCID),
		TargetType:          elbtypes.TargetTypeEnumInstance,
		HealthCheckEnabled:  sdkaws.Bool(true),
		HealthCheckProtocol: elbtypes.ProtocolEnumHttp,
		HealthCheckPath:     sdkaws.String(s.Container.HealthPath),
		Matcher:             &elbtypes.Matcher{HttpCode: sdkaws.String("200")},
		Tags:                tags,
	}
}

// TargetGroupAttributes sets the load-balancing algorithm; adaptive is weighted_random with anomaly
// mitigation (automatic target weights) on.
func TargetGroupAttributes(arn, algorithm string) *elbv2.ModifyTargetGroupAttributesInput {
	attrs := []elbtypes.TargetGroupAttribute{{Key: sdkaws.String("load_balancing.algorithm.type"), Value: sdkaws.String(algorithms[algorithm])}}
	if algorithms[algorithm] == "weighted_random" {
		mitigation := "off"
		if algorithm == spec.AlgorithmAdaptive {
			mitigation = "on"
		}
		attrs = append(attrs, elbtypes.TargetGroupAttribute{Key: sdkaws.String("load_balancing.algorithm.anomaly_mitigation"), Value: sdkaws.String(mitigation)})
	}
	return &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: sdkaws.String(arn), Attributes: attrs}
}

func usesMixedPolicy(s *spec.Service) bool {
	return (s.Instance.Spot != nil && s.Instance.Spot.Enabled) || len(s.Instance.Types) > 0
}

func templateSpec(id, version string) *asgtypes.LaunchTemplateSpecification {
	return &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: sdkaws.String(id), Version: sdkaws.String(version)}
}

// mixedPolicy runs spot with an on-demand base and percentage above it (allocation strategy
// price-capacity-optimized unless set), over the instance type and any extra types.
func mixedPolicy(s *spec.Service, templateID, version string) *asgtypes.MixedInstancesPolicy {
	types := append([]string{s.Instance.Type}, s.Instance.Types...)
	overrides := make([]asgtypes.LaunchTemplateOverrides, 0, len(types))
	for _, t := range types {
		overrides = append(overrides, asgtypes.LaunchTemplateOverrides{InstanceType: sdkaws.String(t)})
	}
	dist := &asgtypes.InstancesDistribution{
		OnDemandBaseCapacity:                sdkaws.Int32(0),
		OnDemandPercentageAboveBaseCapacity: sdkaws.Int32(100),
	}
	if sp := s.Instance.Spot; sp != nil && sp.Enabled {
		strategy := sp.Strategy
		if strategy == "" {
			strategy = spec.DefaultSpotStrategy
		}
		dist.OnDemandBaseCapacity = sdkaws.Int32(int32(sp.OnDemandBase))
		dist.OnDemandPercentageAboveBaseCapacity = sdkaws.Int32(int32(sp.OnDemandPercentAboveBase))
		dist.SpotAllocationStrategy = sdkaws.String(strategy)
		if sp.MaxPrice != nil {
			dist.SpotMaxPrice = sdkaws.String(strconv.FormatFloat(*sp.MaxPrice, 'f', -1, 64))
		}
	}
	return &asgtypes.MixedInstancesPolicy{
		LaunchTemplate:        &asgtypes.LaunchTemplate{LaunchTemplateSpecification: templateSpec(templateID, version), Overrides: overrides},
		InstancesDistribution: dist,
	}
}

// GroupTags are the group's tags, propagated to instances at launch.
func GroupTags(name string, tags map[string]string) []asgtypes.Tag {
	out := make([]asgtypes.Tag, 0, len(tags))
	for _, k := range sortedKeys(tags) {
		out = append(out, asgtypes.Tag{
			Key: sdkaws.String(k), Value: sdkaws.String(tags[k]), PropagateAtLaunch: sdkaws.Bool(true),
			ResourceId: sdkaws.String(name), ResourceType: sdkaws.String("auto-scaling-group"),
		})
	}
	return out
}

func healthCheckType(s *spec.Service) string {
	if s.LoadBalancing != nil {
		return "ELB"
	}
	return "EC2"
}

// maxHealthy lets the group grow by max_unavailable_percent above 100 % while replacing, within the
// API's limit of 100 points between the minimum and maximum healthy percentages.
func maxHealthy(r spec.Rollout) int32 {
	return int32(min(100+r.MaxUnavailablePercent, r.MinHealthyPercent+100))
}

// maintenancePolicy keeps min_healthy_percent healthy while replacing instances and lets the group
// grow by max_unavailable_percent above 100 % (launch before terminate).
func maintenancePolicy(r spec.Rollout) *asgtypes.InstanceMaintenancePolicy {
	return &asgtypes.InstanceMaintenancePolicy{
		MinHealthyPercentage: sdkaws.Int32(int32(r.MinHealthyPercent)),
		MaxHealthyPercentage: sdkaws.Int32(maxHealthy(r)),
	}
}

// CreateGroup creates the Auto Scaling group. Desired capacity is capacity.initial, at create only.
func CreateGroup(p *Plan, templateID, version, targetGroupARN string) *autoscaling.CreateAutoScalingGroupInput {
	s := p.Service
	in := &autoscaling.CreateAutoScalingGroupInput{
		AutoScalingGroupName:      sdkaws.String(GroupName(s)),
		MinSize:                   sdkaws.Int32(int32(s.Capacity.Min)),
		MaxSize:                   sdkaws.Int32(int32(s.Capacity.Max)),
		DesiredCapacity:           sdkaws.Int32(int32(s.Capacity.InitialSize())),
		VPCZoneIdentifier:         sdkaws.String(strings.Join(s.AWS.SubnetIDs, ",")),
		HealthCheckType:           sdkaws.String(healthCheckType(s)),
		HealthCheckGracePeriod:    sdkaws.Int32(int32(s.Health.GracePeriodSeconds)),
		InstanceMaintenancePolicy: maintenancePolicy(s.Rollout),
		Tags:                      GroupTags(GroupName(s), ownedTags(p.Tags, p.Owner)),
	}
	if usesMixedPolicy(s) {
		in.MixedInstancesPolicy = mixedPolicy(s, templateID, version)
		in.CapacityRebalance = sdkaws.Bool(s.Instance.Spot != nil && s.Instance.Spot.Enabled)
	} else {
		in.LaunchTemplate = templateSpec(templateID, version)
	}
	if targetGroupARN != "" {
		in.TargetGroupARNs = []string{targetGroupARN}
	}
	return in
}

// UpdateGroup changes what can change in place. It never sets DesiredCapacity: the live size belongs
// to the autoscaler.
func UpdateGroup(p *Plan, templateID, version string) *autoscaling.UpdateAutoScalingGroupInput {
	s := p.Service
	in := &autoscaling.UpdateAutoScalingGroupInput{
		AutoScalingGroupName:      sdkaws.String(GroupName(s)),
		MinSize:                   sdkaws.Int32(int32(s.Capacity.Min)),
		MaxSize:                   sdkaws.Int32(int32(s.Capacity.Max)),
		VPCZoneIdentifier:         sdkaws.String(strings.Join(s.AWS.SubnetIDs, ",")),
		HealthCheckType:           sdkaws.String(healthCheckType(s)),
		HealthCheckGracePeriod:    sdkaws.Int32(int32(s.Health.GracePeriodSeconds)),
		InstanceMaintenancePolicy: maintenancePolicy(s.Rollout),
	}
	if usesMixedPolicy(s) {
		in.MixedInstancesPolicy = mixedPolicy(s, templateID, version)
		in.CapacityRebalance = sdkaws.Bool(s.Instance.Spot != nil && s.Instance.Spot.Enabled)
	} else {
		in.LaunchTemplate = templateSpec(templateID, version)
	}
	return in
}

// StartRefresh replaces instances that do not match the new template version, keeping
// min_healthy_percent healthy and skipping instances already on it. The new version goes in the
// refresh's desired configuration (not onto the group first): AWS applies it to the group when the
// refresh succeeds, and only then can it roll back to the group's previous configuration.
func StartRefresh(p *Plan, templateID, version string) *autoscaling.StartInstanceRefreshInput {
	s := p.Service
	desired := &asgtypes.DesiredConfiguration{}
	if usesMixedPolicy(s) {
		desired.MixedInstancesPolicy = mixedPolicy(s, templateID, version)
	} else {
		desired.LaunchTemplate = templateSpec(templateID, version)
	}
	return &autoscaling.StartInstanceRefreshInput{
		AutoScalingGroupName: sdkaws.String(GroupName(s)),
		Strategy:             asgtypes.RefreshStrategyRolling,
		DesiredConfiguration: desired,
		Preferences: &asgtypes.RefreshPreferences{
			MinHealthyPercentage: sdkaws.Int32(int32(s.Rollout.MinHealthyPercent)),
			MaxHealthyPercentage: sdkaws.Int32(maxHealthy(s.Rollout)),
			SkipMatching:         sdkaws.Bool(true),
			AutoRollback:         sdkaws.Bool(s.Rollout.AutoRollback),
			InstanceWarmup:       sdkaws.Int32(int32(s.Health.GracePeriodSeconds)),
		},
	}
}

// RepairProcess is the Auto Scaling process that replaces unhealthy instances; health.auto_repair =
// false suspends it.
const RepairProcess = "ReplaceUnhealthy"

// SuspendRepair stops the group from replacing unhealthy instances.
func SuspendRepair(group string) *autoscaling.SuspendProcessesInput {
	return &autoscaling.SuspendProcessesInput{AutoScalingGroupName: sdkaws.String(group), ScalingProcesses: []string{RepairProcess}}
}

// ResumeRepair lets the group replace unhealthy instances again.
func ResumeRepair(group string) *autoscaling.ResumeProcessesInput {
	return &autoscaling.ResumeProcessesInput{AutoScalingGroupName: sdkaws.String(group), ScalingProcesses: []string{RepairProcess}}
}

// provisioned is a volume's provisioned IOPS or throughput, nil for the type's baseline.
func provisioned(v int64) *int32 {
	if v == 0 {
		return nil
	}
	return sdkaws.Int32(int32(v))
}
