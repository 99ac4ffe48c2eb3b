package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// serviceModel is dspy_service's configuration, plan and state.
type serviceModel struct {
	ID              types.String   `tfsdk:"id"`
	Name            types.String   `tfsdk:"name"`
	Description     types.String   `tfsdk:"description"`
	Tags            types.Map      `tfsdk:"tags"`
	TagsAll         types.Map      `tfsdk:"tags_all"`
	Cloud           types.String   `tfsdk:"cloud"`
	Native          types.Map      `tfsdk:"native"`
	CurrentCapacity types.Int64    `tfsdk:"current_capacity"`
	StartupHash     types.String   `tfsdk:"startup_hash"`
	RolloutStatus   types.String   `tfsdk:"rollout_status"`
	Container       types.Object   `tfsdk:"container"`
	LM              types.Object   `tfsdk:"lm"`
	Program         types.Object   `tfsdk:"program"`
	Capacity        types.Object   `tfsdk:"capacity"`
	Instance        types.Object   `tfsdk:"instance"`
	Rollout         types.Object   `tfsdk:"rollout"`
	Health          types.Object   `tfsdk:"health"`
	LoadBalancing   types.Object   `tfsdk:"load_balancing"`
	State           types.Object   `tfsdk:"state"`
	AWS             types.Object   `tfsdk:"aws"`
	GCP             types.Object   `tfsdk:"gcp"`
	Azure           types.Object   `tfsdk:"azure"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

type containerModel struct {
	Image       types.String `tfsdk:"image"`
	Port        types.Int64  `tfsdk:"port"`
	Command     types.List   `tfsdk:"command"`
	Args        types.List   `tfsdk:"args"`
	Env         types.Map    `tfsdk:"env"`
	SecretEnv   types.Map    `tfsdk:"secret_env"`
	HealthPath  types.String `tfsdk:"health_path"`
	MetricsPath types.String `tfsdk:"metrics_path"`
}

type lmModel struct {
	Model        types.String  `tfsdk:"model"`
	APIBase      types.String  `tfsdk:"api_base"`
	APIKeySecret types.String  `tfsdk:"api_key_secret"`
	MaxTokens    types.Int64   `tfsdk:"max_tokens"`
	Temperature  types.Float64 `tfsdk:"temperature"`
	Cache        types.Object  `tfsdk:"cache"`
}

type lmCacheModel struct {
	Enabled    types.Bool  `tfsdk:"enabled"`
	TTLSeconds types.Int64 `tfsdk:"ttl_seconds"`
}

type programModel struct {
	ArtifactURI types.String `tfsdk:"artifact_uri"`
}

type capacityModel struct {
	Min     types.Int64 `tfsdk:"min"`
	Max     types.Int64 `tfsdk:"max"`
	Initial types.Int64 `tfsdk:"initial"`
}

type instanceModel struct {
	Type         types.String  `tfsdk:"type"`
	SelectedType types.String  `tfsdk:"selected_type"`
	Types        types.List    `tfsdk:"types"`
	VCPUs        types.Int64   `tfsdk:"vcpus"`
	MemoryGiB    types.Float64 `tfsdk:"memory_gib"`
	DiskGiB      types.Int64   `tfsdk:"disk_gib"`
	Architecture types.String  `tfsdk:"architecture"`
	DiskType     types.String  `tfsdk:"disk_type"`
	DiskIOPS     types.Int64   `tfsdk:"disk_iops"`
	DiskMBps     types.Int64   `tfsdk:"disk_throughput_mbps"`
	Spot         types.Object  `tfsdk:"spot"`
}

type spotModel struct {
	Enabled                  types.Bool    `tfsdk:"enabled"`
	OnDemandBase             types.Int64   `tfsdk:"on_demand_base"`
	OnDemandPercentAboveBase types.Int64   `tfsdk:"on_demand_percent_above_base"`
	Strategy                 types.String  `tfsdk:"strategy"`
	MaxPrice                 types.Float64 `tfsdk:"max_price"`
}

type rolloutModel struct {
	MaxUnavailablePercent types.Int64 `tfsdk:"max_unavailable_percent"`
	MinHealthyPercent     types.Int64 `tfsdk:"min_healthy_percent"`
	AutoRollback          types.Bool  `tfsdk:"auto_rollback"`
	Wait                  types.Bool  `tfsdk:"wait"`
}

type healthModel struct {
	GracePeriodSeconds types.Int64 `tfsdk:"grace_period_seconds"`
	AutoRepair         types.Bool  `tfsdk:"auto_repair"`
}

type stateVolumeModel struct {
	SizeGiB        types.Int64  `tfsdk:"size_gib"`
	MountPath      types.String `tfsdk:"mount_path"`
	DiskType       types.String `tfsdk:"disk_type"`
	IOPS           types.Int64  `tfsdk:"iops"`
	ThroughputMBps types.Int64  `tfsdk:"throughput_mbps"`
}

type loadBalancingModel struct {
	Algorithm types.String `tfsdk:"algorithm"`
}

type awsPlacementModel struct {
	Region                   types.String `tfsdk:"region"`
	SubnetIDs                types.List   `tfsdk:"subnet_ids"`
	SecurityGroupIDs         types.List   `tfsdk:"security_group_ids"`
	VPCID                    types.String `tfsdk:"vpc_id"`
	InstanceProfile          types.String `tfsdk:"instance_profile"`
	AMIID                    types.String `tfsdk:"ami_id"`
	AssociatePublicIPAddress types.Bool   `tfsdk:"associate_public_ip_address"`
}

type gcpPlacementModel struct {
	Project        types.String `tfsdk:"project"`
	Region         types.String `tfsdk:"region"`
	Zones          types.List   `tfsdk:"zones"`
	Network        types.String `tfsdk:"network"`
	Subnetwork     types.String `tfsdk:"subnetwork"`
	ServiceAccount types.String `tfsdk:"service_account"`
	Image          types.String `tfsdk:"image"`
}

type azurePlacementModel struct {
	ResourceGroup types.String `tfsdk:"resource_group"`
	Location      types.String `tfsdk:"location"`
	SubnetID      types.String `tfsdk:"subnet_id"`
	Zones         types.List   `tfsdk:"zones"`
	Image         types.String `tfsdk:"image"`
	IdentityID    types.String `tfsdk:"identity_id"`
	PublicIP      types.Bool   `tfsdk:"public_ip"`
}

// toSpec converts the model into the domain type; values absent from the configuration take the
// defaults the schema would give them, so validation sees what will be applied.
func (m *serviceModel) toSpec(c *converter) *spec.Service {
	s := &spec.Service{
		Name:        c.str(m.Name, spec.Root("name"), ""),
		Description: c.str(m.Description, spec.Root("description"), ""),
		Tags:        c.stringMap(m.Tags, spec.Root("tags")),
		Container:   spec.Container{Port: spec.DefaultPort, HealthPath: spec.DefaultHealthPath, MetricsPath: spec.DefaultMetricsPath},
		LM:          spec.LM{Model: spec.DefaultModel, Cache: spec.LMCache{Enabled: true}},
		Instance:    spec.Instance{DiskGiB: spec.DefaultDiskGiB, Architecture: spec.DefaultArchitecture},
		Rollout:     spec.Rollout{MaxUnavailablePercent: spec.DefaultMaxUnavailablePct, MinHealthyPercent: spec.DefaultMinHealthyPct, AutoRollback: true, Wait: true},
		Health:      spec.Health{GracePeriodSeconds: spec.DefaultGracePeriodSeconds, AutoRepair: true},
	}
	var cm containerModel
	if p := spec.Root("container"); c.requiredObject(m.Container, p, &cm) {
		s.Container = spec.Container{
			Image:       c.str(cm.Image, p.At("image"), ""),
			Port:        c.i64(cm.Port, p.At("port"), spec.DefaultPort),
			Command:     c.strings(cm.Command, p.At("command")),
			Args:        c.strings(cm.Args, p.At("args")),
			Env:         c.stringMap(cm.Env, p.At("env")),
			SecretEnv:   c.stringMap(cm.SecretEnv, p.At("secret_env")),
			HealthPath:  c.str(cm.HealthPath, p.At("health_path"), spec.DefaultHealthPath),
			MetricsPath: c.str(cm.MetricsPath, p.At("metrics_path"), spec.DefaultMetricsPath),
		}
	}
	var lm lmModel
	if p := spec.Root("lm"); c.object(m.LM, p, &lm) {
		s.Blocks = append(s.Blocks, "lm")
		s.LM.Model = c.str(lm.Model, p.At("model"), spec.DefaultModel)
		s.LM.APIBase = c.str(lm.APIBase, p.At("api_base"), "")
		s.LM.APIKeySecret = c.str(lm.APIKeySecret, p.At("api_key_secret"), "")
		s.LM.MaxTokens = c.optI64(lm.MaxTokens, p.At("max_tokens"))
		s.LM.Temperature = c.optF64(lm.Temperature, p.At("temperature"))
		var cache lmCacheModel
		if c.object(lm.Cache, p.At("cache"), &cache) {
			s.Blocks = append(s.Blocks, "lm.cache")
			s.LM.Cache.Enabled = c.boolean(cache.Enabled, p.At("cache").At("enabled"), true)
			s.LM.Cache.TTLSeconds = c.optI64(cache.TTLSeconds, p.At("cache").At("ttl_seconds"))
		}
	}
	var pm programModel
	if p := spec.Root("program"); c.object(m.Program, p, &pm) {
		s.Program = &spec.Program{ArtifactURI: c.str(pm.ArtifactURI, p.At("artifact_uri"), "")}
	}
	var cap capacityModel
	if p := spec.Root("capacity"); c.requiredObject(m.Capacity, p, &cap) {
		s.Capacity = spec.Capacity{Min: c.i64(cap.Min, p.At("min"), 0), Max: c.i64(cap.Max, p.At("max"), 0), Initial: c.optI64(cap.Initial, p.At("initial"))}
	}
	var im instanceModel
	if p := spec.Root("instance"); c.requiredObject(m.Instance, p, &im) {
		s.Instance = spec.Instance{
			Type:         c.str(im.Type, p.At("type"), ""),
			Types:        c.strings(im.Types, p.At("types")),
			VCPUs:        c.optI64(im.VCPUs, p.At("vcpus")),
			MemoryGiB:    c.optF64(im.MemoryGiB, p.At("memory_gib")),
			DiskGiB:      c.i64(im.DiskGiB, p.At("disk_gib"), spec.DefaultDiskGiB),
			Architecture: c.str(im.Architecture, p.At("architecture"), spec.DefaultArchitecture),
			Disk: spec.Disk{Type: c.str(im.DiskType, p.At("disk_type"), ""), IOPS: c.i64(im.DiskIOPS, p.At("disk_iops"), 0),
				ThroughputMBps: c.i64(im.DiskMBps, p.At("disk_throughput_mbps"), 0)},
		}
		var sm spotModel
		if sp := p.At("spot"); c.object(im.Spot, sp, &sm) {
			s.Instance.Spot = &spec.Spot{
				Enabled:                  c.boolean(sm.Enabled, sp.At("enabled"), true),
				OnDemandBase:             c.i64(sm.OnDemandBase, sp.At("on_demand_base"), 0),
				OnDemandPercentAboveBase: c.i64(sm.OnDemandPercentAboveBase, sp.At("on_demand_percent_above_base"), 0),
				Strategy:                 c.str(sm.Strategy, sp.At("strategy"), spec.DefaultSpotStrategy),
				MaxPrice:                 c.optF64(sm.MaxPrice, sp.At("max_price")),
			}
		}
	}
	var rm rolloutModel
	if p := spec.Root("rollout"); c.object(m.Rollout, p, &rm) {
		s.Blocks = append(s.Blocks, "rollout")
		s.Rollout = spec.Rollout{
			MaxUnavailablePercent: c.i64(rm.MaxUnavailablePercent, p.At("max_unavailable_percent"), spec.DefaultMaxUnavailablePct),
			MinHealthyPercent:     c.i64(rm.MinHealthyPercent, p.At("min_healthy_percent"), spec.DefaultMinHealthyPct),
			AutoRollback:          c.boolean(rm.AutoRollback, p.At("auto_rollback"), true),
			Wait:                  c.boolean(rm.Wait, p.At("wait"), true),
		}
	}
	var hm healthModel
	if p := spec.Root("health"); c.object(m.Health, p, &hm) {
		s.Blocks = append(s.Blocks, "health")
		s.Health = spec.Health{
			GracePeriodSeconds: c.i64(hm.GracePeriodSeconds, p.At("grace_period_seconds"), spec.DefaultGracePeriodSeconds),
			AutoRepair:         c.boolean(hm.AutoRepair, p.At("auto_repair"), true),
		}
	}
	var lb loadBalancingModel
	if p := spec.Root("load_balancing"); c.object(m.LoadBalancing, p, &lb) {
		s.LoadBalancing = &spec.LoadBalancing{Algorithm: c.str(lb.Algorithm, p.At("algorithm"), spec.DefaultAlgorithm)}
	}
	var sv stateVolumeModel
	if p := spec.Root("state"); c.object(m.State, p, &sv) {
		s.State = &spec.StateVolume{SizeGiB: c.i64(sv.SizeGiB, p.At("size_gib"), 0), MountPath: c.str(sv.MountPath, p.At("mount_path"), spec.DefaultStateMountPath),
			Disk: spec.Disk{Type: c.str(sv.DiskType, p.At("disk_type"), ""), IOPS: c.i64(sv.IOPS, p.At("iops"), 0),
				ThroughputMBps: c.i64(sv.ThroughputMBps, p.At("throughput_mbps"), 0)}}
	}
	var am awsPlacementModel
	if p := spec.Root("aws"); c.object(m.AWS, p, &am) {
		s.AWS = &spec.AWSPlacement{
			Region:            c.str(am.Region, p.At("region"), ""),
			SubnetIDs:         c.strings(am.SubnetIDs, p.At("subnet_ids")),
			SecurityGroupIDs:  c.strings(am.SecurityGroupIDs, p.At("security_group_ids")),
			VPCID:             c.str(am.VPCID, p.At("vpc_id"), ""),
			InstanceProfile:   c.str(am.InstanceProfile, p.At("instance_profile"), ""),
			AMIID:             c.str(am.AMIID, p.At("ami_id"), ""),
			AssociatePublicIP: c.boolean(am.AssociatePublicIPAddress, p.At("associate_public_ip_address"), false),
		}
	}
	var gm gcpPlacementModel
	if p := spec.Root("gcp"); c.object(m.GCP, p, &gm) {
		s.GCP = &spec.GCPPlacement{
			Project:        c.str(gm.Project, p.At("project"), ""),
			Region:         c.str(gm.Region, p.At("region"), ""),
			Zones:          c.strings(gm.Zones, p.At("zones")),
			Network:        c.str(gm.Network, p.At("network"), ""),
			Subnetwork:     c.str(gm.Subnetwork, p.At("subnetwork"), ""),
			ServiceAccount: c.str(gm.ServiceAccount, p.At("service_account"), ""),
			Image:          c.str(gm.Image, p.At("image"), ""),
		}
	}
	var zm azurePlacementModel
	if p := spec.Root("azure"); c.object(m.Azure, p, &zm) {
		s.Azure = &spec.AzurePlacement{
			ResourceGroup: c.str(zm.ResourceGroup, p.At("resource_group"), ""),
			Location:      c.str(zm.Location, p.At("location"), ""),
			SubnetID:      c.str(zm.SubnetID, p.At("subnet_id"), ""),
			Zones:         c.strings(zm.Zones, p.At("zones")),
			Image:         c.str(zm.Image, p.At("image"), ""),
			IdentityID:    c.str(zm.IdentityID, p.At("identity_id"), ""),
			PublicIP:      c.boolean(zm.PublicIP, p.At("public_ip"), false),
		}
	}
	return s
}
