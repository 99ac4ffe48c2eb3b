package provider

import (
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// costServiceModel describes a service that does not exist yet, for an estimate before it is created.
type costServiceModel struct {
	Cloud                    types.String  `tfsdk:"cloud"`
	Region                   types.String  `tfsdk:"region"`
	InstanceType             types.String  `tfsdk:"instance_type"`
	VCPUs                    types.Int64   `tfsdk:"vcpus"`
	MemoryGiB                types.Float64 `tfsdk:"memory_gib"`
	Architecture             types.String  `tfsdk:"architecture"`
	Min                      types.Int64   `tfsdk:"min"`
	Max                      types.Int64   `tfsdk:"max"`
	Initial                  types.Int64   `tfsdk:"initial"`
	DiskGiB                  types.Int64   `tfsdk:"disk_gib"`
	StateVolumeGiB           types.Int64   `tfsdk:"state_volume_gib"`
	DiskType                 types.String  `tfsdk:"disk_type"`
	DiskIOPS                 types.Int64   `tfsdk:"disk_iops"`
	DiskMBps                 types.Int64   `tfsdk:"disk_throughput_mbps"`
	StateDiskType            types.String  `tfsdk:"state_disk_type"`
	StateIOPS                types.Int64   `tfsdk:"state_iops"`
	StateMBps                types.Int64   `tfsdk:"state_throughput_mbps"`
	Spot                     types.Bool    `tfsdk:"spot"`
	OnDemandBase             types.Int64   `tfsdk:"on_demand_base"`
	OnDemandPercentAboveBase types.Int64   `tfsdk:"on_demand_percent_above_base"`
	LMModel                  types.String  `tfsdk:"lm_model"`
	LoadBalanced             types.Bool    `tfsdk:"load_balanced"`
}

func costServiceBlock() schema.SingleNestedBlock {
	opt := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Optional: true, MarkdownDescription: desc}
	}
	return schema.SingleNestedBlock{
		MarkdownDescription: "A service described inline instead of `service_id`, to estimate its cost before it exists: no cloud API is called, " +
			"except the price APIs when the provider's `pricing.source` is `live`. " +
			"The fields mirror `dspy_service`'s `instance`, `capacity`, `state_volume` and `lm` settings.",
		Attributes: map[string]schema.Attribute{
			"cloud":                        schema.StringAttribute{Optional: true, MarkdownDescription: "Required in the block. One of " + oneOfText(cloudNames()) + "."},
			"region":                       schema.StringAttribute{Optional: true, MarkdownDescription: "Required in the block. Region the service would run in (`us-east-1`, `us-central1`, `eastus`)."},
			"instance_type":                schema.StringAttribute{Optional: true, MarkdownDescription: "Machine type; or give `vcpus` and `memory_gib` to price the cheapest listed type that fits."},
			"vcpus":                        opt("vCPUs per instance, with `memory_gib`, instead of `instance_type`."),
			"memory_gib":                   schema.Float64Attribute{Optional: true, MarkdownDescription: "Memory per instance in GiB, with `vcpus`."},
			"architecture":                 schema.StringAttribute{Optional: true, MarkdownDescription: "`x86_64` or `arm64`, for `vcpus`/`memory_gib` sizing (default: either)."},
			"min":                          opt("Required in the block: `capacity.min`."),
			"max":                          opt("Required in the block: `capacity.max`."),
			"initial":                      opt("`capacity.initial` (default `min`, at least 1)."),
			"disk_gib":                     opt(fmt.Sprintf("Root disk per instance in GiB (default %d).", spec.DefaultDiskGiB)),
			"state_volume_gib":             opt("State volume per instance in GiB (default none)."),
			"disk_type":                    schema.StringAttribute{Optional: true, MarkdownDescription: "Root disk type, as `instance.disk_type` (" + spec.DiskTypesText() + "; default the first)."},
			"disk_iops":                    opt("Root disk's provisioned IOPS, as `instance.disk_iops`."),
			"disk_throughput_mbps":         opt("Root disk's provisioned throughput in MB/s, as `instance.disk_throughput_mbps`."),
			"state_disk_type":              schema.StringAttribute{Optional: true, MarkdownDescription: "State volume's type, as `state.disk_type`."},
			"state_iops":                   opt("State volume's provisioned IOPS, as `state.iops`."),
			"state_throughput_mbps":        opt("State volume's provisioned throughput in MB/s, as `state.throughput_mbps`."),
			"spot":                         schema.BoolAttribute{Optional: true, MarkdownDescription: "Run part of the group on spot (default false)."},
			"on_demand_base":               opt("With `spot`: instances kept on-demand (default 0)."),
			"on_demand_percent_above_base": opt("With `spot`: percent of the rest kept on-demand, 0 to 100 (default 0)."),
			"lm_model":                     schema.StringAttribute{Optional: true, MarkdownDescription: fmt.Sprintf("Language model, as `lm.model` (default `%s`).", spec.DefaultModel)},
			"load_balanced":                schema.BoolAttribute{Optional: true, MarkdownDescription: "Whether the service sits behind a load balancer (default false)."},
		},
	}
}

func cloudNames() []string {
	out := make([]string, len(spec.Clouds))
	for i, c := range spec.Clouds {
		out[i] = string(c)
	}
	return out
}

// inlineService converts the inline description to a service, its cloud and region, with the
// problems found (paths under "service").
func inlineService(c *converter, o types.Object) (*spec.Service, string, string, spec.Problems) {
	p := spec.Root("service")
	var m costServiceModel
	if !c.object(o, p, &m) {
		return nil, "", "", nil
	}
	var ps spec.Problems
	bad := func(name, summary, detail string) {
		ps = append(ps, spec.Problem{Path: p.At(name), Summary: summary, Detail: detail})
	}
	for name, v := range map[string]attr.Value{"cloud": m.Cloud, "region": m.Region, "min": m.Min, "max": m.Max} {
		if v.IsNull() {
			bad(name, "Missing Attribute", "service."+name+" is required when the service is described inline.")
		}
	}
	if len(ps) > 0 {
		return nil, "", "", ps
	}
	cloudName := c.str(m.Cloud, p.At("cloud"), "")
	if !m.Cloud.IsUnknown() && !slices.Contains(cloudNames(), cloudName) {
		bad("cloud", "Invalid Cloud", fmt.Sprintf("service.cloud = %q must be one of %s.", cloudName, oneOfText(cloudNames())))
	}
	region := c.str(m.Region, p.At("region"), "")
	if !m.Region.IsUnknown() && region == "" && !m.Region.IsNull() {
		bad("region", "Missing Region", "service.region must name the region the service would run in.")
	}
	svc := &spec.Service{
		Name: "estimate",
		LM:   spec.LM{Model: c.str(m.LMModel, p.At("lm_model"), spec.DefaultModel)},
		Capacity: spec.Capacity{
			Min:     c.i64(m.Min, p.At("min"), 0),
			Max:     c.i64(m.Max, p.At("max"), 0),
			Initial: c.optI64(m.Initial, p.At("initial")),
		},
		Instance: spec.Instance{
			Type:         c.str(m.InstanceType, p.At("instance_type"), ""),
			VCPUs:        c.optI64(m.VCPUs, p.At("vcpus")),
			MemoryGiB:    c.optF64(m.MemoryGiB, p.At("memory_gib")),
			Architecture: c.str(m.Architecture, p.At("architecture"), ""),
			DiskGiB:      c.i64(m.DiskGiB, p.At("disk_gib"), spec.DefaultDiskGiB),
		},
	}
	if svc.Instance.Type == "" && (svc.Instance.VCPUs == nil || svc.Instance.MemoryGiB == nil) {
		bad("instance_type", "Missing Machine Shape", "Set service.instance_type, or both service.vcpus and service.memory_gib.")
	}
	if a := svc.Instance.Architecture; a != "" && a != "x86_64" && a != "arm64" {
		bad("architecture", "Invalid Architecture", fmt.Sprintf("service.architecture = %q must be x86_64 or arm64.", a))
	}
	cp := svc.Capacity
	switch {
	case cp.Min < 0 || cp.Max < 1 || cp.Min > cp.Max:
		bad("max", "Invalid Capacity", fmt.Sprintf("service.min (%d) and service.max (%d) need 0 <= min <= max and max >= 1.", cp.Min, cp.Max))
	case cp.Initial != nil && (*cp.Initial < cp.Min || *cp.Initial > cp.Max):
		bad("initial", "Invalid Capacity", fmt.Sprintf("service.initial (%d) must lie between min (%d) and max (%d).", *cp.Initial, cp.Min, cp.Max))
	}
	if svc.Instance.DiskGiB < 0 {
		bad("disk_gib", "Invalid Disk Size", "service.disk_gib must not be negative.")
	}
	svc.Instance.Disk = spec.Disk{Type: c.str(m.DiskType, p.At("disk_type"), ""), IOPS: c.i64(m.DiskIOPS, p.At("disk_iops"), 0),
		ThroughputMBps: c.i64(m.DiskMBps, p.At("disk_throughput_mbps"), 0)}
	stateDisk := spec.Disk{Type: c.str(m.StateDiskType, p.At("state_disk_type"), ""), IOPS: c.i64(m.StateIOPS, p.At("state_iops"), 0),
		ThroughputMBps: c.i64(m.StateMBps, p.At("state_throughput_mbps"), 0)}
	if cl := spec.Cloud(cloudName); slices.Contains(spec.Clouds, cl) {
		ps = append(ps, spec.DiskProblems(cl, svc.Instance.Disk, p.At("disk_type"), p.At("disk_iops"), p.At("disk_throughput_mbps"), true)...)
		ps = append(ps, spec.DiskProblems(cl, stateDisk, p.At("state_disk_type"), p.At("state_iops"), p.At("state_throughput_mbps"), false)...)
	}
	if g := c.i64(m.StateVolumeGiB, p.At("state_volume_gib"), 0); g > 0 {
		svc.State = &spec.StateVolume{SizeGiB: g, Disk: stateDisk}
	} else if g < 0 {
		bad("state_volume_gib", "Invalid Disk Size", "service.state_volume_gib must not be negative.")
	} else if stateDisk != (spec.Disk{}) {
		bad("state_disk_type", "No State Volume", "service.state_disk_type, state_iops and state_throughput_mbps describe the state volume; set service.state_volume_gib too.")
	}
	if c.boolean(m.Spot, p.At("spot"), false) {
		svc.Instance.Spot = &spec.Spot{
			Enabled:                  true,
			OnDemandBase:             c.i64(m.OnDemandBase, p.At("on_demand_base"), 0),
			OnDemandPercentAboveBase: c.i64(m.OnDemandPercentAboveBase, p.At("on_demand_percent_above_base"), 0),
		}
		if pct := svc.Instance.Spot.OnDemandPercentAboveBase; pct < 0 || pct > 100 {
			bad("on_demand_percent_above_base", "Invalid Percentage", "service.on_demand_percent_above_base must be between 0 and 100.")
		}
		if svc.Instance.Spot.OnDemandBase < 0 {
			bad("on_demand_base", "Invalid Count", "service.on_demand_base must not be negative.")
		}
	}
	if c.boolean(m.LoadBalanced, p.At("load_balanced"), false) {
		svc.LoadBalancing = &spec.LoadBalancing{}
	}
	return svc, cloudName, region, ps
}
