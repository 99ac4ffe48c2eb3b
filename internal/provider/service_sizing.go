package provider

import (
	"fmt"
	"regexp"

	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// azurePremiumSizeRe matches the Azure VM sizes with premium storage (an "s" among the size's
// feature letters — Standard_D2s_v5, Standard_D4ps_v5, Standard_E8bds_v5 — or an S series such as
// Standard_DS2_v2), the only ones that take the Premium SSD disks an Azure service runs on.
var azurePremiumSizeRe = regexp.MustCompile(`^Standard_([A-Z]*S[0-9]+|[A-Z]+[0-9]+(-[0-9]+)?[a-z]*s[a-z]*)(_|$)`)

// chooseInstanceType sets instance.type, for a service that gives instance.vcpus and
// instance.memory_gib instead, to the built-in price catalog's cheapest type of the service's
// cloud, region and architecture with at least that shape (not burstable; on Azure a size with
// premium storage). The built-in catalog, not live prices: the choice is the same in every plan
// until the catalog of a new provider version changes it. defaultRegion is the region the service
// runs in when its aws or gcp block names none (the provider's, as the service id carries it). A
// service that names its type, or whose placement is not known yet, is left as it is.
func chooseInstanceType(s *spec.Service, defaultRegion string) spec.Problems {
	in := &s.Instance
	if in.Type != "" || in.VCPUs == nil || in.MemoryGiB == nil {
		return nil
	}
	shape := pricing.Shape{Arch: in.Architecture, VCPUs: int(*in.VCPUs), MemoryGiB: *in.MemoryGiB}
	switch {
	case s.AWS != nil:
		shape.Cloud, shape.Region = "aws", s.AWS.Region
	case s.GCP != nil:
		shape.Cloud, shape.Region = "gcp", s.GCP.Region
	case s.Azure != nil:
		shape.Cloud, shape.Region = "azure", s.Azure.Location
		shape.Accept = func(i pricing.Instance) bool { return azurePremiumSizeRe.MatchString(i.Type) }
	}
	if shape.Region == "" && shape.Cloud != "azure" {
		shape.Region = defaultRegion
	}
	if shape.Cloud == "" || shape.Region == "" {
		return nil
	}
	cat, err := pricing.Default()
	if err == nil {
		var chosen pricing.Instance
		if chosen, err = cat.Cheapest(shape); err == nil {
			in.Type, in.TypeChosen = chosen.Type, true
			return nil
		}
	}
	return spec.Problems{{Path: spec.Root("instance").At("vcpus"), Related: []spec.Path{spec.Root("instance").At("memory_gib")},
		Summary: "No Instance Type For This Shape", Detail: fmt.Sprintf("Choosing instance.type for instance.vcpus = %d and instance.memory_gib = %g: %v.", *in.VCPUs, *in.MemoryGiB, err)}}
}
