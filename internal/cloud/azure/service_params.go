package azure

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"maps"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"golang.org/x/crypto/ssh"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// TagStartupHash keeps, on the scale set, the startup hash of the model the provider last wrote:
// Resource Manager never returns a VM's custom data, so the hash is how a read knows what the
// instances run.
const TagStartupHash = "dspy-startup-hash"

// StartupHash is the content hash of what the service's instances run: the rendered start-up, the
// image, the VM size, the disks, the priority, the subnet and the managed identity. It is computed from configuration
// alone, so it is known at plan time.
func StartupHash(s *spec.Service) (string, error) {
	ud, err := bootstrap.Render(s, bootstrap.NewAzureFetcher(s))
	if err != nil {
		return "", err
	}
	return startupHash(ud, s)
}

func startupHash(ud string, s *spec.Service) (string, error) {
	if s.Azure == nil {
		return "", fmt.Errorf("service %s has no azure block", s.Name)
	}
	img, err := ScaleSetImage(s)
	if err != nil {
		return "", err
	}
	state := ""
	if s.State != nil {
		state = fmt.Sprint(s.State.SizeGiB) + s.State.Disk.HashSuffix(spec.Azure)
	}
	spot := "regular"
	if sp := s.Instance.Spot; sp != nil && sp.Enabled {
		spot = "spot"
		if sp.MaxPrice != nil {
			spot += fmt.Sprint(*sp.MaxPrice)
		}
	}
	return bootstrap.Hash(ud, imageURN(img), s.Instance.Type, fmt.Sprint(s.Instance.DiskGiB)+s.Instance.Disk.HashSuffix(spec.Azure), state, spot, s.Azure.SubnetID,
		s.Container.HealthPath, fmt.Sprint(s.Container.Port), s.Azure.IdentityID, publicIP(s.Azure)), nil
}

// publicIP is the startup hash's part for azure.public_ip.
func publicIP(z *spec.AzurePlacement) string {
	if z.PublicIP {
		return "public-ip"
	}
	return ""
}

func imageURN(img *armcompute.ImageReference) string {
	if img.ID != nil {
		return *img.ID
	}
	return strings.Join([]string{str(img.Publisher), str(img.Offer), str(img.SKU), str(img.Version)}, ":")
}

// servicePlan is everything a create or update writes, computed before any call.
type servicePlan struct {
	params      ScaleSetParams
	startupHash string
	spec        string // spec.EncodeService of the service
}

// planService renders the bootstrap and encodes the service. key is the administrator's public key:
// the one the scale set already has on an update (a new key would change the model and start a
// rolling upgrade), a throwaway one on a create.
func planService(group string, s *spec.Service, tags map[string]string, owner, key, pool string) (*servicePlan, error) {
	ud, err := bootstrap.Render(s, bootstrap.NewAzureFetcher(s))
	if err != nil {
		return nil, err
	}
	h, err := startupHash(ud, s)
	if err != nil {
		return nil, err
	}
	enc, err := spec.EncodeService(s)
	if err != nil {
		return nil, err
	}
	if key == "" {
		if key, err = throwawayKey(); err != nil {
			return nil, err
		}
	}
	return &servicePlan{params: ScaleSetParams{ResourceGroup: group, Location: s.Azure.Location, Service: s, Tags: tags, Owner: owner,
		UserData: ud, SSHPublicKey: key, BackendPoolID: pool, ModelVersion: h}, startupHash: h, spec: enc}, nil
}

// scaleSet is the scale set model with the provider's own tags (applied spec, startup hash) and
// extra (tags to keep, such as the token budget) added.
func (p *servicePlan) scaleSet(capacity int64, extra map[string]*string) (*armcompute.VirtualMachineScaleSet, error) {
	ss, err := ScaleSet(p.params)
	if err != nil {
		return nil, err
	}
	ss.SKU.Capacity = to.Ptr(capacity)
	maps.Copy(ss.Tags, SpecTags(p.spec))
	ss.Tags[TagStartupHash] = to.Ptr(p.startupHash)
	maps.Copy(ss.Tags, extra)
	if len(ss.Tags) > maxTags {
		return nil, fmt.Errorf("the scale set would carry %d tags with the %d the provider keeps (owner, service, startup hash, applied configuration); Azure allows %d: remove some of tags or the provider's default tags",
			len(ss.Tags), len(ss.Tags)-len(p.params.Tags), maxTags)
	}
	return ss, nil
}

// throwawayKey is the public half of a new key pair whose private half is never kept: Azure
// requires a key on a Linux VM with password login disabled, and nobody logs in.
func throwawayKey() (string, error) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", err
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))), nil
}

// adminKey is the administrator key a scale set has ("" when it has none).
func adminKey(ss *armcompute.VirtualMachineScaleSet) string {
	if ss == nil || ss.Properties == nil || ss.Properties.VirtualMachineProfile == nil || ss.Properties.VirtualMachineProfile.OSProfile == nil {
		return ""
	}
	l := ss.Properties.VirtualMachineProfile.OSProfile.LinuxConfiguration
	if l == nil || l.SSH == nil || len(l.SSH.PublicKeys) == 0 {
		return ""
	}
	return str(l.SSH.PublicKeys[0].KeyData)
}
