package spec

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

var (
	imageRe       = regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$`)
	envNameRe     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	modelRe       = regexp.MustCompile(`^[a-z0-9_.-]+/[\w.:/@-]+$`)
	awsSubnetRe   = regexp.MustCompile(`^subnet-[0-9a-f]{8,17}$`)
	awsSGRe       = regexp.MustCompile(`^sg-[0-9a-f]{8,17}$`)
	awsVPCRe      = regexp.MustCompile(`^vpc-[0-9a-f]{8,17}$`)
	awsAMIRe      = regexp.MustCompile(`^ami-[0-9a-f]{8,17}$`)
	gravitonRe    = regexp.MustCompile(`^[a-z]+\d+[a-z]*g[a-z]*\.`)
	gcpTypeRe     = regexp.MustCompile(`^[a-z][a-z0-9]*-[a-z0-9-]+$`)
	azureTypeRe   = regexp.MustCompile(`^Standard_[A-Za-z0-9_]+$`)
	azureIdentity = regexp.MustCompile(`(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft\.ManagedIdentity/userAssignedIdentities/[a-z0-9][a-z0-9_-]{2,127}$`)
	azureSubnet   = regexp.MustCompile(`(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft\.Network/virtualNetworks/[^/]+/subnets/[^/]+$`)
	reservedEnvs  = []string{"DSPY_", "LM_"}
)

// Limits checked by Validate.
const (
	MinDiskGiB     = 8
	MaxDiskGiB     = 16384
	MaxGracePeriod = 7200
	MaxTemperature = 2.0
	MaxCapacity    = 1000
	AWSMaxSubnets  = 16
)

// Validate returns every problem with the service, each with its attribute path.
func (s *Service) Validate() Problems {
	var p problems
	cloud := s.Cloud()

	if !ValidName(s.Name) {
		p.add(Root("name"), "Invalid Service Name",
			"name = %q must be 1 to %d characters of lowercase letters, digits and hyphens, start with a letter and end with a letter or digit, so that every cloud accepts the names derived from it.", s.Name, MaxNameLength)
	}
	p.validatePlacement(s)
	if cloud == GCP {
		p.checkGCPLabels(Root("tags"), s.Tags)
	}
	p.validateContainer(cloud, &s.Container)
	p.validateLM(cloud, &s.LM)
	if s.Program != nil {
		p.validateProgram(cloud, s.Program)
	}
	p.validateCapacity(&s.Capacity)
	p.validateInstance(cloud, &s.Instance, &s.Capacity)
	p.validateRollout(cloud, &s.Rollout)
	if s.Health.GracePeriodSeconds < 0 || s.Health.GracePeriodSeconds > MaxGracePeriod {
		p.add(Root("health").At("grace_period_seconds"), "Invalid Grace Period",
			"health.grace_period_seconds = %d must be between 0 and %d seconds.", s.Health.GracePeriodSeconds, MaxGracePeriod)
	}
	if st := s.State; st != nil {
		if st.SizeGiB < 1 || st.SizeGiB > MaxDiskGiB {
			p.add(Root("state").At("size_gib"), "Invalid Disk Size", "state.size_gib = %d must be between 1 and %d.", st.SizeGiB, MaxDiskGiB)
		}
		if !strings.HasPrefix(st.MountPath, "/") || st.MountPath == "/" || strings.ContainsAny(st.MountPath, " '\"\\") ||
			slices.Contains([]string{"/etc", "/usr", "/bin", "/boot", "/proc", "/sys", "/dev", "/run", "/tmp"}, strings.TrimSuffix(st.MountPath, "/")) {
			p.add(Root("state").At("mount_path"), "Invalid Mount Path", "state.mount_path = %q must be an absolute directory that is not a system directory, such as %s.", st.MountPath, DefaultStateMountPath)
		}
		root := Root("state")
		p.validateDisk(cloud, st.Disk, diskPaths{root.At("disk_type"), root.At("iops"), root.At("throughput_mbps")}, false)
		if st.Disk.Type == "PremiumV2_LRS" && s.Azure != nil && len(s.Azure.Zones) == 0 {
			p.addRelated(root.At("disk_type"), []Path{Root("azure").At("zones")}, "Premium SSD v2 Needs Zones",
				"state.disk_type = \"PremiumV2_LRS\": Azure attaches Premium SSD v2 disks only to VMs in an availability zone; set azure.zones (for example [\"1\", \"2\", \"3\"]) or use \"Premium_LRS\".")
		}
	}
	if lb := s.LoadBalancing; lb != nil {
		path := Root("load_balancing").At("algorithm")
		if !slices.Contains(Algorithms, lb.Algorithm) {
			p.add(path, "Invalid Load-Balancing Algorithm", "load_balancing.algorithm = %q must be one of %s.", lb.Algorithm, quoteList(Algorithms))
		} else if cloud != "" {
			p.requireCapability(cloud, AlgorithmFeature(lb.Algorithm), path, fmt.Sprintf("load_balancing.algorithm = %q", lb.Algorithm))
		}
		if s.AWS != nil && s.AWS.VPCID == "" {
			p.addRelated(Root("aws").At("vpc_id"), []Path{Root("load_balancing")}, "Missing VPC",
				"aws.vpc_id is required when load_balancing is set: the target group is created in that VPC.")
		}
	}
	return p.list
}

func (p *problems) validatePlacement(s *Service) {
	var set []string
	if s.AWS != nil {
		set = append(set, "aws")
	}
	if s.GCP != nil {
		set = append(set, "gcp")
	}
	if s.Azure != nil {
		set = append(set, "azure")
	}
	switch len(set) {
	case 0:
		p.add(Root("aws"), "Missing Cloud Placement", "Exactly one of the aws, gcp or azure blocks must say where the service runs; none is set.")
	case 1:
	default:
		p.add(Root(set[1]), "Several Cloud Placements",
			"Exactly one of the aws, gcp or azure blocks may be set; this service sets %s. Declare one dspy_service per cloud.", strings.Join(set, " and "))
	}
	if a := s.AWS; a != nil {
		if a.Region != "" && !ValidAWSRegion(a.Region) {
			p.add(Root("aws").At("region"), "Invalid AWS Region", "%s", AWSRegionProblem("aws.region", a.Region))
		}
		if len(a.SubnetIDs) == 0 {
			p.add(Root("aws").At("subnet_ids"), "Missing Subnets", "aws.subnet_ids needs at least one subnet id (subnet-…); the group launches instances into them.")
		}
		if len(a.SubnetIDs) > AWSMaxSubnets {
			p.add(Root("aws").At("subnet_ids"), "Too Many Subnets", "aws.subnet_ids lists %d subnets; an Auto Scaling group takes at most %d.", len(a.SubnetIDs), AWSMaxSubnets)
		}
		checkEach(p, Root("aws").At("subnet_ids"), a.SubnetIDs, awsSubnetRe, "subnet id (subnet-0123abcd)")
		checkEach(p, Root("aws").At("security_group_ids"), a.SecurityGroupIDs, awsSGRe, "security group id (sg-0123abcd)")
		if a.VPCID != "" && !awsVPCRe.MatchString(a.VPCID) {
			p.add(Root("aws").At("vpc_id"), "Invalid VPC ID", "aws.vpc_id = %q is not a VPC id (vpc-0123abcd).", a.VPCID)
		}
		if a.AMIID != "" && !awsAMIRe.MatchString(a.AMIID) {
			p.add(Root("aws").At("ami_id"), "Invalid AMI ID", "aws.ami_id = %q is not an AMI id (ami-0123abcd); leave it out to use the latest Amazon Linux 2023.", a.AMIID)
		}
	}
	if g := s.GCP; g != nil {
		if g.Project != "" && !gcpProjectRe.MatchString(g.Project) {
			p.add(Root("gcp").At("project"), "Invalid Project ID", "gcp.project = %q is not a Google Cloud project id (6 to 30 lowercase letters, digits and hyphens).", g.Project)
		}
		if g.Region != "" && !gcpRegionRe.MatchString(g.Region) {
			p.add(Root("gcp").At("region"), "Invalid Region", "gcp.region = %q is not a Google Cloud region such as us-central1.", g.Region)
		}
		for i, z := range g.Zones {
			if g.Region != "" && !strings.HasPrefix(z, g.Region+"-") {
				p.addRelated(Root("gcp").At("zones").Index(i), []Path{Root("gcp").At("region")}, "Zone Outside Region",
					"gcp.zones[%d] = %q is not a zone of region %q (zones look like %s-a).", i, z, g.Region, g.Region)
			}
		}
	}
	if a := s.Azure; a != nil {
		if !azureRGRe.MatchString(a.ResourceGroup) {
			p.add(Root("azure").At("resource_group"), "Invalid Resource Group", "azure.resource_group = %q is not a resource group name (1 to 90 letters, digits, '.', '_', '-', '(' or ')', not ending in '.').", a.ResourceGroup)
		}
		if !azureRegionRe.MatchString(a.Location) {
			p.add(Root("azure").At("location"), "Invalid Location", "azure.location = %q is not an Azure location name such as eastus or westeurope.", a.Location)
		}
		if !azureSubnet.MatchString(a.SubnetID) {
			p.add(Root("azure").At("subnet_id"), "Invalid Subnet ID", "azure.subnet_id = %q is not a subnet resource id (/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/virtualNetworks/…/subnets/…).", a.SubnetID)
		}
		if a.IdentityID != "" && !azureIdentity.MatchString(a.IdentityID) {
			p.add(Root("azure").At("identity_id"), "Invalid Identity ID", "azure.identity_id = %q is not a user-assigned managed identity resource id (/subscriptions/…/resourceGroups/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/…); leave it unset for a system-assigned identity.", a.IdentityID)
		}
		for i, z := range a.Zones {
			if z != "1" && z != "2" && z != "3" {
				p.add(Root("azure").At("zones").Index(i), "Invalid Zone", "azure.zones[%d] = %q must be \"1\", \"2\" or \"3\".", i, z)
			}
		}
	}
}

func checkEach(p *problems, path Path, vs []string, re *regexp.Regexp, what string) {
	for i, v := range vs {
		if !re.MatchString(v) {
			p.add(path.Index(i), "Invalid ID", "%s = %q is not a %s.", path.Index(i), v, what)
		}
	}
}

func (p *problems) validateContainer(cloud Cloud, c *Container) {
	root := Root("container")
	if !imageRe.MatchString(c.Image) {
		p.add(root.At("image"), "Invalid Container Image",
			"container.image = %q is not an image reference (registry/repository:tag or @sha256:digest, lowercase).", c.Image)
	} else if msg := imagePinProblem(c.Image); msg != "" {
		p.add(root.At("image"), "Container Image Without Tag", "%s", msg)
	}
	if c.Port < 1 || c.Port > 65535 {
		p.add(root.At("port"), "Invalid Port", "container.port = %d must be between 1 and 65535.", c.Port)
	}
	for _, a := range []struct {
		name, v string
	}{{"health_path", c.HealthPath}, {"metrics_path", c.MetricsPath}} {
		if !strings.HasPrefix(a.v, "/") || strings.ContainsAny(a.v, " ?#") {
			p.add(root.At(a.name), "Invalid HTTP Path", "container.%s = %q must be an absolute URL path such as /health.", a.name, a.v)
		}
	}
	for _, k := range sortedKeys(c.Env) {
		path := root.At("env").Key(k)
		p.checkEnvName(path, k)
		v := c.Env[k]
		if LooksLikePlaintextSecret(v) || (secretNameRe.MatchString(k) && v != "" && !isRefLike(v)) {
			p.add(path, "Secret In Plain Environment",
				"container.env[%q] looks like a credential. Plain env values are stored in state and start-up data; move it to container.secret_env[%q] as a reference to the cloud's secret store.", k, k)
		}
	}
	for _, k := range sortedKeys(c.SecretEnv) {
		path := root.At("secret_env").Key(k)
		p.checkEnvName(path, k)
		if _, dup := c.Env[k]; dup {
			p.add(path, "Duplicate Environment Variable", "%s is set in both container.env and container.secret_env; keep one.", k)
		}
		if c.SecretEnv[k] == "" {
			p.add(path, "Empty Secret Reference", "container.secret_env[%q] is empty; give %s.", k, secretRefExample[cloudOr(cloud)])
			continue
		}
		p.checkSecretRef(cloud, path, c.SecretEnv[k])
	}
}

func isRefLike(v string) bool {
	_, ok := secretRefCloud(v)
	return ok || strings.HasPrefix(v, "${") || strings.HasPrefix(v, "/")
}

func cloudOr(c Cloud) Cloud {
	if c == "" {
		return AWS
	}
	return c
}

func (p *problems) checkEnvName(path Path, k string) {
	if !envNameRe.MatchString(k) {
		p.add(path, "Invalid Environment Variable Name", "%q is not a valid environment variable name (letters, digits and _, not starting with a digit).", k)
		return
	}
	for _, r := range reservedEnvs {
		if strings.HasPrefix(strings.ToUpper(k), r) {
			p.add(path, "Reserved Environment Variable",
				"%q uses the prefix %s, which the provider sets from the lm, program and container blocks; set the value there or rename the variable.", k, r)
		}
	}
}

func (p *problems) validateLM(cloud Cloud, lm *LM) {
	root := Root("lm")
	if !modelRe.MatchString(lm.Model) {
		p.add(root.At("model"), "Invalid Model", "lm.model = %q must be a LiteLLM-style provider/model name such as %q.", lm.Model, DefaultModel)
	}
	if lm.APIBase != "" {
		if u, err := url.Parse(lm.APIBase); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			p.add(root.At("api_base"), "Invalid API Base", "lm.api_base = %q must be an http(s) URL such as https://api.example.com/v1.", lm.APIBase)
		}
	}
	p.checkSecretRef(cloud, root.At("api_key_secret"), lm.APIKeySecret)
	if lm.MaxTokens != nil && (*lm.MaxTokens < 1 || *lm.MaxTokens > 1_000_000) {
		p.add(root.At("max_tokens"), "Invalid Max Tokens", "lm.max_tokens = %d must be between 1 and 1000000.", *lm.MaxTokens)
	}
	if lm.Temperature != nil && (*lm.Temperature < 0 || *lm.Temperature > MaxTemperature) {
		p.add(root.At("temperature"), "Invalid Temperature", "lm.temperature = %g must be between 0 and %g.", *lm.Temperature, MaxTemperature)
	}
	if t := lm.Cache.TTLSeconds; t != nil && *t < 1 {
		p.add(root.At("cache").At("ttl_seconds"), "Invalid Cache TTL", "lm.cache.ttl_seconds = %d must be at least 1; leave it out to keep entries until evicted.", *t)
	}
}

var artifactSchemes = map[string]Cloud{"s3": AWS, "gs": GCP}

func (p *problems) validateProgram(cloud Cloud, pr *Program) {
	path := Root("program").At("artifact_uri")
	u, err := url.Parse(pr.ArtifactURI)
	if err != nil || u.Host == "" {
		p.add(path, "Invalid Program Artifact", "program.artifact_uri = %q must be an s3://, gs:// or https:// URI of the JSON written by program.save().", pr.ArtifactURI)
		return
	}
	switch owner, ok := artifactSchemes[u.Scheme]; {
	case ok && cloud != "" && owner != cloud:
		p.add(path, "Program Artifact In Another Cloud",
			"program.artifact_uri uses %s://, which instances on %s cannot read with their identity; copy the artifact to the service's cloud (or an https:// URL).", u.Scheme, cloudTitle(cloud))
	case ok, u.Scheme == "https":
	default:
		p.add(path, "Invalid Program Artifact", "program.artifact_uri scheme %q is not supported; use s3://, gs:// or https:// (Azure Blob Storage URLs are https://).", u.Scheme)
	}
}

func (p *problems) validateCapacity(c *Capacity) {
	root := Root("capacity")
	if c.Min < 0 {
		p.add(root.At("min"), "Invalid Capacity", "capacity.min = %d must not be negative.", c.Min)
	}
	if c.Max < 1 || c.Max > MaxCapacity {
		p.add(root.At("max"), "Invalid Capacity", "capacity.max = %d must be between 1 and %d.", c.Max, MaxCapacity)
	}
	if c.Min > c.Max {
		p.addRelated(root.At("min"), []Path{root.At("max")}, "Capacity Min Above Max",
			"capacity.min = %d is greater than capacity.max = %d; lower min or raise max.", c.Min, c.Max)
	}
	if i := c.Initial; i != nil && (*i < c.Min || *i > c.Max) {
		p.addRelated(root.At("initial"), []Path{root.At("min"), root.At("max")}, "Initial Capacity Out Of Range",
			"capacity.initial = %d must be between capacity.min = %d and capacity.max = %d.", *i, c.Min, c.Max)
	}
}

func (p *problems) validateInstance(cloud Cloud, in *Instance, capacity *Capacity) {
	root := Root("instance")
	sized := in.VCPUs != nil || in.MemoryGiB != nil
	switch {
	case in.Type == "" && !sized:
		p.add(root.At("type"), "Missing Instance Shape", "Set instance.type, or instance.vcpus and instance.memory_gib to have the cheapest matching type chosen.")
	case in.Type != "" && sized && !in.TypeChosen:
		p.addRelated(root.At("type"), []Path{root.At("vcpus")}, "Conflicting Instance Shape", "Set either instance.type or instance.vcpus with instance.memory_gib, not both.")
	case sized && (in.VCPUs == nil || in.MemoryGiB == nil):
		p.add(root.At("vcpus"), "Incomplete Instance Shape", "instance.vcpus and instance.memory_gib must be set together.")
	}
	if in.VCPUs != nil && (*in.VCPUs < 1 || *in.VCPUs > 448) {
		p.add(root.At("vcpus"), "Invalid vCPU Count", "instance.vcpus = %d must be between 1 and 448.", *in.VCPUs)
	}
	if in.MemoryGiB != nil && (*in.MemoryGiB <= 0 || *in.MemoryGiB > 24576) {
		p.add(root.At("memory_gib"), "Invalid Memory Size", "instance.memory_gib = %g must be above 0 and at most 24576.", *in.MemoryGiB)
	}
	// AWS types are checked by shape (AWSInstanceTypeProblem), with a suggestion for a typo.
	typeRe, example := map[Cloud]*regexp.Regexp{GCP: gcpTypeRe, Azure: azureTypeRe}[cloud],
		map[Cloud]string{GCP: "n2-standard-2", Azure: "Standard_D2s_v5"}[cloud]
	if typeRe != nil || cloud == AWS {
		for i, t := range append([]string{in.Type}, in.Types...) {
			if t == "" {
				continue
			}
			path := root.At("type")
			if i > 0 {
				path = root.At("types").Index(i - 1)
			}
			if cloud == AWS {
				if msg := AWSInstanceTypeProblem(path.String(), t); msg != "" {
					p.add(path, "Invalid Instance Type", "%s", msg)
				}
				continue
			}
			if !typeRe.MatchString(t) {
				p.add(path, "Invalid Instance Type", "%s = %q is not a %s machine type name such as %s.", path, t, cloudTitle(cloud), example)
			}
		}
	}
	if cloud == AWS && in.Type != "" && validAWSInstanceType(in.Type) {
		switch arm := gravitonRe.MatchString(in.Type); {
		case arm && in.Architecture != "arm64":
			p.addRelated(root.At("architecture"), []Path{root.At("type")}, "Architecture Mismatch",
				"instance.type = %q is an Arm (AWS Graviton) type; set instance.architecture = \"arm64\".", in.Type)
		case !arm && in.Architecture == "arm64":
			p.addRelated(root.At("architecture"), []Path{root.At("type")}, "Architecture Mismatch",
				"instance.type = %q is an x86_64 type; use a Graviton type (m7g, c7g, r7g, t4g …) for instance.architecture = \"arm64\".", in.Type)
		}
	}
	if len(in.Types) > 0 && cloud != AWS && cloud != "" {
		p.add(root.At("types"), "Not Supported on "+cloudTitle(cloud),
			"instance.types (several types in one group) is only available on AWS; on %s give a single instance.type.", cloudTitle(cloud))
	}
	if in.DiskGiB < MinDiskGiB || in.DiskGiB > MaxDiskGiB {
		p.add(root.At("disk_gib"), "Invalid Disk Size", "instance.disk_gib = %d must be between %d and %d.", in.DiskGiB, MinDiskGiB, MaxDiskGiB)
	}
	p.validateDisk(cloud, in.Disk, diskPaths{root.At("disk_type"), root.At("disk_iops"), root.At("disk_throughput_mbps")}, true)
	if !slices.Contains(Architectures, in.Architecture) {
		p.add(root.At("architecture"), "Invalid Architecture", "instance.architecture = %q must be one of %s.", in.Architecture, quoteList(Architectures))
	}
	if sp := in.Spot; sp != nil && sp.Enabled {
		p.validateSpot(cloud, sp, capacity)
	}
}

func (p *problems) validateSpot(cloud Cloud, sp *Spot, capacity *Capacity) {
	root := Root("instance").At("spot")
	if sp.OnDemandBase < 0 {
		p.add(root.At("on_demand_base"), "Invalid On-Demand Base", "instance.spot.on_demand_base = %d must not be negative.", sp.OnDemandBase)
	} else if sp.OnDemandBase > capacity.Max {
		p.addRelated(root.At("on_demand_base"), []Path{Root("capacity").At("max")}, "On-Demand Base Above Max",
			"instance.spot.on_demand_base = %d exceeds capacity.max = %d, so no instance could ever be spot.", sp.OnDemandBase, capacity.Max)
	}
	if sp.OnDemandPercentAboveBase < 0 || sp.OnDemandPercentAboveBase > 100 {
		p.add(root.At("on_demand_percent_above_base"), "Invalid Percentage", "instance.spot.on_demand_percent_above_base = %d must be between 0 and 100.", sp.OnDemandPercentAboveBase)
	}
	if sp.Strategy != "" && !slices.Contains(SpotStrategies, sp.Strategy) {
		p.add(root.At("strategy"), "Invalid Spot Strategy", "instance.spot.strategy = %q must be one of %s.", sp.Strategy, quoteList(SpotStrategies))
	}
	if sp.MaxPrice != nil && *sp.MaxPrice <= 0 {
		p.add(root.At("max_price"), "Invalid Max Price", "instance.spot.max_price = %g must be above 0 (per instance-hour); leave it out to pay at most the on-demand price.", *sp.MaxPrice)
	}
	if cloud == "" {
		return
	}
	if sp.OnDemandBase > 0 || sp.OnDemandPercentAboveBase > 0 {
		p.requireCapability(cloud, FeatureSpotMix, root.At("on_demand_base"), "mixing on-demand and spot instances in one group")
	}
	if sp.Strategy != "" && sp.Strategy != DefaultSpotStrategy {
		p.requireCapability(cloud, FeatureSpotStrategy, root.At("strategy"), "instance.spot.strategy")
	}
	if sp.MaxPrice != nil {
		p.requireCapability(cloud, FeatureSpotMaxPrice, root.At("max_price"), "instance.spot.max_price")
	}
}

func (p *problems) validateRollout(cloud Cloud, r *Rollout) {
	root := Root("rollout")
	if r.MaxUnavailablePercent < 1 || r.MaxUnavailablePercent > 100 {
		p.add(root.At("max_unavailable_percent"), "Invalid Percentage", "rollout.max_unavailable_percent = %d must be between 1 and 100.", r.MaxUnavailablePercent)
	}
	if r.MinHealthyPercent < 0 || r.MinHealthyPercent > 100 {
		p.add(root.At("min_healthy_percent"), "Invalid Percentage", "rollout.min_healthy_percent = %d must be between 0 and 100.", r.MinHealthyPercent)
	}
	if r.AutoRollback && !r.Wait && cloud != "" && Lookup(cloud, FeatureAutoRollback).Support == Emulated {
		p.addRelated(root.At("auto_rollback"), []Path{root.At("wait")}, "Rollback Needs Wait",
			"rollout.auto_rollback = true needs rollout.wait = true on %s: the cloud has no native rollback, so the provider rolls back a rollout it watches. Set wait = true or auto_rollback = false.", cloudTitle(cloud))
	}
}

func quoteList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
