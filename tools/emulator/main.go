// Command emulator runs the offline test bed outside tests, for `make demo` and `make bench`:
//
//	emulator serve STATEFILE       start moto and the edge proxy (AWS), the Compute Engine and Cloud
//	                               Billing fakes with a token endpoint (Google Cloud) and the Azure
//	                               Resource Manager fake (Azure); write their URLs, the default
//	                               network, the environment to export (env) and a provider block
//	                               (provider_block) to STATEFILE (JSON); run until interrupted
//	emulator describe NAME         print an AWS service's group, instances, health and target group
//	emulator describe-gcp ID       print a Google Cloud service's (gcp/PROJECT/REGION/NAME) group,
//	                               template and instances
//	emulator describe-azure ID     print an Azure service's (azure/GROUP/NAME) scale set, autoscale
//	                               setting and machines
//
// describe reads AWS_ENDPOINT_URL like any AWS client; describe-gcp reads
// GOOGLE_COMPUTE_CUSTOM_ENDPOINT; describe-azure the ARM_* variables and AZURE_AUTHORITY_HOST.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/azurefake"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/gcpfake"
)

// State is what serve writes for scripts.
type State struct {
	MotoURL   string   `json:"moto_url"`
	ProxyURL  string   `json:"proxy_url"`
	VPCID     string   `json:"vpc_id"`
	SubnetIDs []string `json:"subnet_ids"`
	// GCPEndpoints maps a gcp.endpoints service to the fake's base URL.
	GCPEndpoints map[string]string `json:"gcp_endpoints"`
	GCPProject   string            `json:"gcp_project"`
	GCPRegion    string            `json:"gcp_region"`
	// GCPBillingAccount is the billing account of the Cloud Billing fake.
	GCPBillingAccount string `json:"gcp_billing_account"`
	// The Azure Resource Manager fake: a ready resource group, its location and a subnet (the
	// counterpart of the AWS emulator's default VPC), the subscription, the ARM and login URL and the
	// certificate file clients must trust (SSL_CERT_FILE in env).
	AzureResourceGroup string `json:"azure_resource_group"`
	AzureLocation      string `json:"azure_location"`
	AzureSubnetID      string `json:"azure_subnet_id"`
	AzureSubscription  string `json:"azure_subscription_id"`
	AzureURL           string `json:"azure_url"`
	AzureCAFile        string `json:"azure_ca_file"`
	// Env are the variables that point an ordinary configuration at the emulators.
	Env map[string]string `json:"env"`
	// ProviderBlock does the same as a provider "dspy" block, for a file of its own.
	ProviderBlock string `json:"provider_block"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: emulator serve STATEFILE | emulator describe NAME")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2])
	case "describe":
		err = describe(os.Args[2])
	case "describe-gcp":
		err = describeGCP(os.Args[2])
	case "describe-azure":
		err = describeAzure(os.Args[2])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(1)
	}
}

// emulatorBillingAccount is the billing account provider_block gives Google Cloud budgets.
const emulatorBillingAccount = "012345-6789AB-CDEF01"

func serve(stateFile string) error {
	moto, err := acctest.StartMoto()
	if err != nil {
		return err
	}
	defer moto.Stop()
	proxy, err := acctest.StartProxy(moto.URL)
	if err != nil {
		return err
	}
	defer proxy.Stop()
	for k, v := range map[string]string{"AWS_ENDPOINT_URL": proxy.URL, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1"} {
		_ = os.Setenv(k, v)
	}
	net := acctest.DefaultNetwork(&fatalTB{})
	tokens, err := acctest.StartGCPBillingFake()
	if err != nil {
		return err
	}
	defer tokens.Stop()
	_, key := tokens.ServiceAccountKey("dspy-emulator")
	fake, srv, err := gcpfake.Serve("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer func() { _ = srv.Shutdown(context.Background()) }()
	billing, billingSrv, err := gcpfake.ServeBilling("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer func() { _ = billingSrv.Shutdown(context.Background()) }()
	arm, err := azurefake.Serve("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer arm.Stop()
	const azureGroup, azureLocation = "rg-dspy-demo", "westeurope"
	arm.AddResourceGroup(azureGroup, azureLocation)
	azureSubnet := arm.AddNetwork(azureGroup, "vnet-dspy-demo", "services", azureLocation)
	caFile := stateFile + ".azure-ca.pem"
	if err := os.WriteFile(caFile, arm.CertPEM(), 0o600); err != nil {
		return err
	}
	st := State{MotoURL: moto.URL, ProxyURL: proxy.URL, VPCID: net.VPCID, SubnetIDs: net.SubnetIDs,
		GCPEndpoints: map[string]string{"compute": fake.URL(), "cloudbilling": tokens.URL, "billingbudgets": billing.URL(), "monitoring": billing.URL()}, GCPProject: "acme-demo", GCPRegion: "europe-west1", GCPBillingAccount: emulatorBillingAccount,
		Env: map[string]string{"AWS_ENDPOINT_URL": proxy.URL, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
			"AWS_EC2_METADATA_DISABLED": "true", "GOOGLE_CREDENTIALS": key, "GOOGLE_COMPUTE_CUSTOM_ENDPOINT": fake.URL(), "GOOGLE_PROJECT": "acme-demo",
			"GOOGLE_BILLING_CUSTOM_ENDPOINT": billing.URL(), "GOOGLE_MONITORING_CUSTOM_ENDPOINT": billing.URL()}}
	st.AzureResourceGroup, st.AzureLocation, st.AzureSubnetID, st.AzureSubscription, st.AzureURL, st.AzureCAFile =
		azureGroup, azureLocation, azureSubnet, azurefake.Subscription, arm.URL(), caFile
	for k, v := range map[string]string{"ARM_SUBSCRIPTION_ID": azurefake.Subscription, "ARM_TENANT_ID": azurefake.Tenant, "ARM_CLIENT_ID": azurefake.ClientID,
		"ARM_CLIENT_SECRET": azurefake.ClientSecret, "AZURE_AUTHORITY_HOST": arm.URL(), "SSL_CERT_FILE": caFile} {
		st.Env[k] = v
	}
	st.ProviderBlock = fmt.Sprintf("provider \"dspy\" {\n  aws {\n    region = \"us-east-1\"\n    endpoints {\n      autoscaling = %[1]q\n      ec2 = %[1]q\n      elbv2 = %[1]q\n      cloudwatch = %[1]q\n      budgets = %[1]q\n      backup = %[1]q\n      pricing = %[1]q\n      costexplorer = %[1]q\n      sts = %[1]q\n      ssm = %[1]q\n    }\n  }\n"+
		"  gcp {\n    project = %[2]q\n    region = %[6]q\n    credentials = %[3]q\n    billing_account = %[7]q\n    endpoints {\n      compute = %[4]q\n      billingbudgets = %[5]q\n      monitoring = %[5]q\n    }\n  }\n}\n", proxy.URL, st.GCPProject, key, fake.URL(), billing.URL(), st.GCPRegion, emulatorBillingAccount)
	st.ProviderBlock = strings.TrimSuffix(st.ProviderBlock, "}\n") + fmt.Sprintf("  azure {\n    subscription_id = %q\n    tenant_id = %q\n    client_id = %q\n    resource_manager_endpoint = %q\n    authority_host = %q\n  }\n}\n",
		azurefake.Subscription, azurefake.Tenant, azurefake.ClientID, arm.URL(), arm.URL())
	b, _ := json.MarshalIndent(st, "", "  ")
	if err := os.WriteFile(stateFile, b, 0o600); err != nil {
		return err
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	return nil
}

// fatalTB lets the test-bed helpers report failure outside a test.
type fatalTB struct{ testing.TB }

func (fatalTB) Helper() {}
func (fatalTB) Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "emulator: "+format+"\n", args...)
	os.Exit(1)
}
func (f fatalTB) Fatal(args ...any) { f.Fatalf("%s", fmt.Sprint(args...)) }

func describe(name string) error {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	out, err := autoscaling.NewFromConfig(cfg).DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
	if err != nil {
		return err
	}
	if len(out.AutoScalingGroups) == 0 {
		fmt.Printf("  group %s: none\n", name)
		return nil
	}
	g := out.AutoScalingGroups[0]
	ltID, version := "", ""
	if g.LaunchTemplate != nil {
		ltID, version = sdkaws.ToString(g.LaunchTemplate.LaunchTemplateId), sdkaws.ToString(g.LaunchTemplate.Version)
	} else if m := g.MixedInstancesPolicy; m != nil {
		ltID, version = sdkaws.ToString(m.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId), sdkaws.ToString(m.LaunchTemplate.LaunchTemplateSpecification.Version)
	}
	fmt.Printf("  group %s: min %d, max %d, desired %d, health check %s\n", name, sdkaws.ToInt32(g.MinSize), sdkaws.ToInt32(g.MaxSize), sdkaws.ToInt32(g.DesiredCapacity), sdkaws.ToString(g.HealthCheckType))
	lt, err := ec2.NewFromConfig(cfg).DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: sdkaws.String(ltID), Versions: []string{version}})
	if err == nil && len(lt.LaunchTemplateVersions) == 1 {
		v := lt.LaunchTemplateVersions[0]
		fmt.Printf("  launch template %s version %s (%s), image %s\n", ltID, version, sdkaws.ToString(v.VersionDescription), sdkaws.ToString(v.LaunchTemplateData.ImageId))
	}
	var lines []string
	for _, i := range g.Instances {
		v := ""
		if i.LaunchTemplate != nil {
			v = sdkaws.ToString(i.LaunchTemplate.Version)
		}
		lines = append(lines, fmt.Sprintf("  instance %s  %s  %-10s %-8s template v%s  %s", sdkaws.ToString(i.InstanceId), sdkaws.ToString(i.AvailabilityZone),
			i.LifecycleState, sdkaws.ToString(i.HealthStatus), v, sdkaws.ToString(i.InstanceType)))
	}
	sort.Strings(lines)
	fmt.Println(strings.Join(lines, "\n"))
	for _, arn := range g.TargetGroupARNs {
		elb := elbv2.NewFromConfig(cfg)
		attrs, err := elb.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: sdkaws.String(arn)})
		if err != nil {
			return err
		}
		alg := ""
		for _, a := range attrs.Attributes {
			if sdkaws.ToString(a.Key) == "load_balancing.algorithm.type" {
				alg = sdkaws.ToString(a.Value)
			}
		}
		health, err := elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: sdkaws.String(arn)})
		if err != nil {
			return err
		}
		healthy := 0
		for _, h := range health.TargetHealthDescriptions {
			if h.TargetHealth != nil && h.TargetHealth.State == "healthy" {
				healthy++
			}
		}
		fmt.Printf("  target group %s: algorithm %s, %d of %d targets healthy\n", arn[strings.LastIndex(arn, ":")+1:], alg, healthy, len(health.TargetHealthDescriptions))
	}
	return nil
}
