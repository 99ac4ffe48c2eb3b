package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"
	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"google.golang.org/api/option"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/gcpfake"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/gcp"
)

// diskChoice is one cloud's non-default disks for the suite: the configuration lines and the disks
// the cloud must then hold, as "root=type/iops/throughput state=type/iops/throughput".
var diskChoice = map[string]struct {
	root, state, foreign string
	want, defaults       string
}{
	"aws": {
		root:    "    disk_type            = \"gp3\"\n    disk_iops            = 4000\n    disk_throughput_mbps = 200\n",
		state:   "    disk_type = \"io2\"\n    iops      = 3000\n",
		foreign: "pd-ssd", want: "root=gp3/4000/200 state=io2/3000/0", defaults: "root=gp3/0/0",
	},
	"gcp": {
		root: "    disk_type = \"pd-ssd\"\n", state: "    disk_type = \"pd-standard\"\n",
		foreign: "Premium_LRS", want: "root=pd-ssd/0/0 state=pd-standard/0/0", defaults: "root=pd-balanced/0/0",
	},
	"azure": {
		root:    "    disk_type = \"StandardSSD_LRS\"\n",
		state:   "    disk_type       = \"PremiumV2_LRS\"\n    iops            = 5000\n    throughput_mbps = 200\n",
		foreign: "io2", want: "root=StandardSSD_LRS/0/0 state=PremiumV2_LRS/5000/200", defaults: "root=Premium_LRS/0/0",
	},
}

// TestService_diskTypesOnEveryCloud: a service with a chosen root disk type and a state disk of
// another type with provisioned performance, on every cloud — another cloud's type is a plan-time
// error naming the attribute; the cloud's template holds exactly the chosen disks; import restores
// them; removing the choice (and the state block) rolls back to the default in place.
func TestService_diskTypesOnEveryCloud(t *testing.T) {
	t.Parallel()
	for cloud, bed := range serviceBeds {
		t.Run(cloud, func(t *testing.T) {
			t.Parallel()
			name := "disks-" + cloud
			b := bed(t, name)
			c := diskChoice[cloud]
			const res = "dspy_service.test"
			chosen := b.config("  instance {\n", "  state {\n    size_gib = 64\n"+c.state+"  }\n  instance {\n"+c.root)
			foreign := b.config("  instance {\n", "  instance {\n    disk_type = \""+c.foreign+"\"\n")
			disksAre := func(want string) resource.TestCheckFunc {
				return func(st *terraform.State) error {
					got, err := b.disks(st)
					if err == nil && got != want {
						err = fmt.Errorf("the cloud holds disks %q, want %q", got, want)
					}
					return err
				}
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy:             b.gone,
				Steps: []resource.TestStep{
					{Config: foreign, PlanOnly: true, ExpectError: regexp.MustCompile(`(?s)instance\.disk_type = "` + c.foreign + `".*is not a`)},
					{Config: chosen, Check: resource.ComposeAggregateTestCheckFunc(disksAre(c.want),
						resource.TestCheckResourceAttr(res, "state.disk_type", strings.Split(strings.Split(c.want, "state=")[1], "/")[0]))},
					{ResourceName: res, ImportState: true, ImportStateId: b.id, ImportStateVerify: true},
					{Config: chosen, PlanOnly: true},
					{
						Config:           b.config(),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
						Check:            disksAre(c.defaults),
					},
				},
			})
		})
	}
}

// diskKey is the suite's form of one disk: "type/iops/throughput".
func diskKey(typ string, iops, throughput int64) string {
	return fmt.Sprintf("%s/%d/%d", typ, iops, throughput)
}

// awsDisks reads the launch template's latest version: its root and state volumes.
func awsDisks(t *testing.T, region, name string) (string, error) {
	cfg := regionConfig(t, region)
	out, err := ec2.NewFromConfig(cfg).DescribeLaunchTemplateVersions(context.Background(), &ec2.DescribeLaunchTemplateVersionsInput{
		LaunchTemplateName: sdkaws.String(name), Versions: []string{"$Latest"}})
	if err != nil {
		return "", err
	}
	if len(out.LaunchTemplateVersions) != 1 {
		return "", fmt.Errorf("%d latest versions of launch template %s", len(out.LaunchTemplateVersions), name)
	}
	var parts []string
	for i, m := range out.LaunchTemplateVersions[0].LaunchTemplateData.BlockDeviceMappings {
		role := map[int]string{0: "root", 1: "state"}[i]
		e := m.Ebs
		parts = append(parts, role+"="+diskKey(string(e.VolumeType), int64(sdkaws.ToInt32(e.Iops)), int64(sdkaws.ToInt32(e.Throughput))))
	}
	return strings.Join(parts, " "), nil
}

// gcpDisks reads the group's current instance template (native.instance_template).
func gcpDisks(t *testing.T, f *gcpfake.Fake, st *terraform.State) (string, error) {
	rs, ok := st.RootModule().Resources["dspy_service.test"]
	if !ok {
		return "", fmt.Errorf("no dspy_service.test in state")
	}
	name := rs.Primary.Attributes["native."+gcp.NativeTemplate]
	templates, err := compute.NewRegionInstanceTemplatesRESTClient(context.Background(), option.WithEndpoint(f.URL()), option.WithHTTPClient(gcpfake.Client()))
	if err != nil {
		return "", err
	}
	tpl, err := templates.Get(context.Background(), &computepb.GetRegionInstanceTemplateRequest{Project: "acme-prod", Region: gcpRegion, InstanceTemplate: lastSegment(name)})
	if err != nil {
		return "", err
	}
	var parts []string
	for _, d := range tpl.GetProperties().GetDisks() {
		role := "state"
		if d.GetBoot() {
			role = "root"
		}
		ip := d.GetInitializeParams()
		parts = append(parts, role+"="+diskKey(ip.GetDiskType(), ip.GetProvisionedIops(), ip.GetProvisionedThroughput()))
	}
	return strings.Join(parts, " "), nil
}

func lastSegment(s string) string { return s[strings.LastIndex(s, "/")+1:] }

// azureDisks reads the scale set's storage profile.
func azureDisks(c *azureConsole, name string) (string, error) {
	sp := c.scaleSet(name).Properties.VirtualMachineProfile.StorageProfile
	os := sp.OSDisk.ManagedDisk
	parts := []string{"root=" + diskKey(string(*os.StorageAccountType), 0, 0)}
	for _, d := range sp.DataDisks {
		parts = append(parts, "state="+diskKey(string(*d.ManagedDisk.StorageAccountType), sdkaws.ToInt64(d.DiskIOPSReadWrite), sdkaws.ToInt64(d.DiskMBpsReadWrite)))
	}
	return strings.Join(parts, " "), nil
}
