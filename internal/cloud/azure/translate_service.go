package azure

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// TagOwner is the tag every Azure object of a service carries with the owner token, which proves
// the object is this resource's. It is spelt like TagService (and like the Google Cloud labels)
// rather than cloud.OwnerTagKey, so both keys of an object read alike; either spelling is a valid
// Azure tag name.
const TagOwner = "dspy-owner"

// AdminUser is the instances' administrator account. Azure requires one on a Linux VM; nobody logs
// in with it (its only key is the caller's throwaway one), but cloud-init creates it.
const AdminUser = "dspy"

// Azure's limits that the spec does not know, checked here so the caller can report them against
// the attribute instead of as a Resource Manager error after the create started.
const (
	// MinRepairGraceSeconds and MaxRepairGraceSeconds bound the automatic repairs grace period
	// (PT10M to PT90M).
	MinRepairGraceSeconds = 10 * 60
	MaxRepairGraceSeconds = 90 * 60
	// MinRolloutPercent is the smallest batch and unhealthy percentage a rolling upgrade policy takes.
	MinRolloutPercent = 5
	// MaxCustomDataBytes is the largest custom data (before base64) a VM takes.
	MaxCustomDataBytes = 65535
	// maxTags, maxTagName and maxTagValue are Resource Manager's tag limits.
	maxTags, maxTagName, maxTagValue = 50, 512, 256
)

// ScaleSetParams is everything a service's scale set is made from, computed before any call.
type ScaleSetParams struct {
	// ResourceGroup is where the scale set is created. The model does not carry it (Resource
	// Manager takes it in the request path); it is here so one value describes the whole create.
	ResourceGroup string
	Location      string
	Service       *spec.Service
	// Tags are the merged provider and service tags; TagService and TagOwner are added to them.
	Tags  map[string]string
	Owner string
	// UserData is the rendered bootstrap (bootstrap.Render with bootstrap.AzureFetcher).
	UserData string
	// SSHPublicKey is the administrator's key. Azure refuses a Linux VM with password
	// authentication disabled and no key, so the caller generates a throwaway one and discards its
	// private half.
	SSHPublicKey string
	// BackendPoolID is the load balancer backend pool the instances join ("" for none).
	BackendPoolID string
	// ModelVersion names the model (the startup hash). It is the VM profile's user data, which,
	// unlike custom data, each machine returns (GET with $expand=userData): a Flexible scale set's
	// machines have no latestModelApplied, so this is how a read knows which model each one runs.
	ModelVersion string
}

// ScaleSet is the service's VM Scale Set in Flexible orchestration (Uniform is legacy and cannot
// mix Spot with regular VMs): capacity.initial instances of instance.type spread over azure.zones,
// the bootstrap as cloud-init custom data, the Application Health extension that rolling upgrades
// and automatic repairs read, and a rolling upgrade policy bounded by rollout's percentages. It
// checks ValidateScaleSet and the parameters first and makes no call.
func ScaleSet(p ScaleSetParams) (*armcompute.VirtualMachineScaleSet, error) {
	s := p.Service
	if s == nil || s.Azure == nil {
		return nil, errors.New("the scale set of a service without an azure block")
	}
	if err := ValidateScaleSet(s).Err(); err != nil {
		return nil, err
	}
	var errs []error
	if p.ResourceGroup == "" || p.Location == "" {
		errs = append(errs, errors.New("the scale set needs a resource group and a location"))
	}
	if p.SSHPublicKey == "" {
		errs = append(errs, errors.New("the scale set needs an SSH public key: Azure refuses a Linux VM with password authentication disabled and no key"))
	}
	if len(p.UserData) > MaxCustomDataBytes {
		errs = append(errs, fmt.Errorf("the rendered start-up is %d bytes; Azure custom data holds at most %d: shorten container.env or container.args", len(p.UserData), MaxCustomDataBytes))
	}
	tags, err := ScaleSetTags(p.Tags, s.Name, p.Owner)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	vm, err := vmProfile(p, tags)
	if err != nil {
		return nil, err
	}
	ss := &armcompute.VirtualMachineScaleSet{
		Location: to.Ptr(p.Location),
		SKU:      &armcompute.SKU{Name: to.Ptr(s.Instance.Type), Capacity: to.Ptr(s.Capacity.InitialSize())},
		Tags:     tags,
		Identity: scaleSetIdentity(s.Azure),
		Properties: &armcompute.VirtualMachineScaleSetProperties{
			OrchestrationMode: to.Ptr(armcompute.OrchestrationModeFlexible),
			// One fault domain: Flexible spreads instances over zones (or, without zones, over fault
			// domains by itself), and a zonal scale set must have 1.
			PlatformFaultDomainCount: to.Ptr[int32](1),
			VirtualMachineProfile:    vm,
			UpgradePolicy:            upgradePolicy(s.Rollout),
			AutomaticRepairsPolicy:   repairs(s.Health),
		},
	}
	if len(s.Azure.Zones) > 0 {
		ss.Zones = to.SliceOfPtrs(s.Azure.Zones...)
	}
	if sp := s.Instance.Spot; sp != nil && sp.Enabled {
		ss.Properties.PriorityMixPolicy = &armcompute.PriorityMixPolicy{
			BaseRegularPriorityCount:           to.Ptr(int32(sp.OnDemandBase)),
			RegularPriorityPercentageAboveBase: to.Ptr(int32(sp.OnDemandPercentAboveBase)),
		}
	}
	return ss, nil
}

// scaleSetIdentity is the managed identity the instances fetch secrets and publish metrics with:
// the user-assigned one azure.identity_id names (the bootstrap asks IMDS for its tokens), else a
// system-assigned one made with the scale set.
func scaleSetIdentity(z *spec.AzurePlacement) *armcompute.VirtualMachineScaleSetIdentity {
	if z.IdentityID == "" {
		return &armcompute.VirtualMachineScaleSetIdentity{Type: to.Ptr(armcompute.ResourceIdentityTypeSystemAssigned)}
	}
	return &armcompute.VirtualMachineScaleSetIdentity{Type: to.Ptr(armcompute.ResourceIdentityTypeUserAssigned),
		UserAssignedIdentities: map[string]*armcompute.UserAssignedIdentitiesValue{z.IdentityID: {}}}
}

// identityMatches reports whether a scale set runs as the identity z asks for.
func identityMatches(got *armcompute.VirtualMachineScaleSetIdentity, z *spec.AzurePlacement) bool {
	if got == nil || got.Type == nil {
		return false
	}
	if z.IdentityID == "" {
		return *got.Type == armcompute.ResourceIdentityTypeSystemAssigned
	}
	if *got.Type != armcompute.ResourceIdentityTypeUserAssigned || len(got.UserAssignedIdentities) != 1 {
		return false
	}
	for id := range got.UserAssignedIdentities {
		return strings.EqualFold(id, z.IdentityID)
	}
	return false
}

// ValidateScaleSet reports what the spec allows but an Azure scale set cannot express, against the
// attribute to change; clamping instead would run something other than the configuration says.
// Callers surface it at plan time; ScaleSet checks it again.
func ValidateScaleSet(s *spec.Service) spec.Problems {
	var ps spec.Problems
	add := func(path spec.Path, summary, format string, args ...any) {
		ps = append(ps, spec.Problem{Path: path, Summary: summary, Detail: fmt.Sprintf(format, args...)})
	}
	if s.Instance.Type == "" {
		add(spec.Root("instance").At("type"), "Missing VM Size",
			"instance.type is empty: a scale set needs a VM size (Standard_D2s_v5); choose one for instance.vcpus and instance.memory_gib first.")
	}
	if pct := rolloutPercent(s.Rollout); pct < MinRolloutPercent || pct > 100 {
		path, attr := spec.Root("rollout").At("max_unavailable_percent"), "max_unavailable_percent"
		if s.Rollout.MaxUnavailablePercent <= 0 {
			path, attr = spec.Root("rollout").At("min_healthy_percent"), "100 - min_healthy_percent"
		}
		add(path, "Rollout Batch Too Small",
			"rollout.%s = %d: an Azure rolling upgrade replaces at least %d%% and at most 100%% of the instances per batch.", attr, pct, MinRolloutPercent)
	}
	if s.Azure != nil && s.Azure.Image != "" {
		if _, err := parseImage(s.Azure.Image); err != nil {
			add(spec.Root("azure").At("image"), "Invalid Image", "%v", err)
		}
	}
	return ps
}

// ScaleSetTags are the tags of the scale set and its network interfaces: the merged tags, the service tag
// and the owner tag. A tag Resource Manager would refuse is an error naming it, not dropped: the
// spec does not check Azure's tag rules, and a missing tag would silently break cost reports.
func ScaleSetTags(tags map[string]string, name, owner string) (map[string]*string, error) {
	out := map[string]*string{}
	var bad []string
	for k, v := range tags {
		if k == "" || len(k) > maxTagName || strings.ContainsAny(k, `<>%&\?/`) || len(v) > maxTagValue {
			bad = append(bad, fmt.Sprintf("%q", k))
			continue
		}
		out[k] = to.Ptr(v)
	}
	out[TagService] = to.Ptr(name)
	if owner != "" {
		out[TagOwner] = to.Ptr(owner)
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return nil, fmt.Errorf("tags %s cannot be Azure tags: a name has 1 to %d characters, none of < > %% & \\ ? /, and a value at most %d characters",
			strings.Join(bad, ", "), maxTagName, maxTagValue)
	}
	if len(out) > maxTags {
		return nil, fmt.Errorf("the scale set would carry %d tags with %s and %s; Azure allows %d", len(out), TagService, TagOwner, maxTags)
	}
	return out, nil
}

// rolloutPercent is the share of instances a rollout replaces at once, as the Google Cloud update
// policy computes it: max_unavailable_percent, else what min_healthy_percent leaves.
func rolloutPercent(r spec.Rollout) int64 {
	if r.MaxUnavailablePercent > 0 {
		return r.MaxUnavailablePercent
	}
	return 100 - r.MinHealthyPercent
}

// upgradePolicy rolls a model change out in batches of the rollout percentage, creating the new
// instances before deleting the old (MaxSurge, as Google Cloud surges), repairing unhealthy
// instances first, stopping when the same share is unhealthy and rolling back then when
// rollout.auto_rollback says so.
func upgradePolicy(r spec.Rollout) *armcompute.UpgradePolicy {
	pct := to.Ptr(int32(rolloutPercent(r)))
	return &armcompute.UpgradePolicy{
		Mode: to.Ptr(armcompute.UpgradeModeRolling),
		RollingUpgradePolicy: &armcompute.RollingUpgradePolicy{
			MaxBatchInstancePercent:               pct,
			MaxUnhealthyInstancePercent:           pct,
			MaxUnhealthyUpgradedInstancePercent:   pct,
			MaxSurge:                              to.Ptr(true),
			PrioritizeUnhealthyInstances:          to.Ptr(true),
			RollbackFailedInstancesOnPolicyBreach: to.Ptr(r.AutoRollback),
		},
	}
}

// repairs replaces an instance the health extension reports unhealthy. Azure's repair grace period
// (how long after a state change repairs wait) takes only 10 to 90 minutes, so it is
// health.grace_period_seconds brought into that range: the health extension's own grace period
// (healthExtension) already keeps a booting instance from counting as unhealthy for exactly
// grace_period_seconds, so a longer repair delay only waits more before replacing an instance that
// has failed. It is written out disabled without health.auto_repair, so an update turns repairs
// off rather than leaving them as they were.
func repairs(h spec.Health) *armcompute.AutomaticRepairsPolicy {
	if !h.AutoRepair {
		return &armcompute.AutomaticRepairsPolicy{Enabled: to.Ptr(false)}
	}
	g := min(max(h.GracePeriodSeconds, MinRepairGraceSeconds), MaxRepairGraceSeconds)
	return &armcompute.AutomaticRepairsPolicy{Enabled: to.Ptr(true), GracePeriod: to.Ptr(isoDuration(g)),
		RepairAction: to.Ptr(armcompute.RepairActionReplace)}
}

// isoDuration writes seconds as an ISO 8601 duration in minutes (PT10M), with the seconds left over
// when there are any (PT10M30S): nothing is rounded.
func isoDuration(seconds int64) string {
	if seconds%60 == 0 {
		return fmt.Sprintf("PT%dM", seconds/60)
	}
	return fmt.Sprintf("PT%dM%dS", seconds/60, seconds%60)
}
