package aws

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func testService() *spec.Service {
	initial := int64(3)
	return &spec.Service{
		Name:      "qa-bot",
		Container: spec.Container{Image: "ghcr.io/acme/qa-bot:1.4.2", Port: 8000, HealthPath: "/health", MetricsPath: "/metrics"},
		LM:        spec.LM{Model: "openai/gpt-4o-mini", APIKeySecret: "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai", Cache: spec.LMCache{Enabled: true}},
		Capacity:  spec.Capacity{Min: 2, Max: 20, Initial: &initial},
		Instance:  spec.Instance{Type: "m7i.large", DiskGiB: 30, Architecture: "x86_64"},
		Rollout:   spec.Rollout{MaxUnavailablePercent: 25, MinHealthyPercent: 75, AutoRollback: true, Wait: true},
		Health:    spec.Health{GracePeriodSeconds: 300, AutoRepair: true},
		AWS:       &spec.AWSPlacement{Region: "us-east-1", SubnetIDs: []string{"subnet-0123abcd", "subnet-4567cdef"}, SecurityGroupIDs: []string{"sg-0123abcd"}, VPCID: "vpc-0123abcd"},
	}
}

func testPlan(s *spec.Service) *Plan {
	return &Plan{Service: s, AMI: "ami-0123456789abcdef0", UserData: "#cloud-config\n", Tags: map[string]string{"dspy:service": "qa-bot", "team": "ml"}, StartupHash: "abc123"}
}

func assertEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("%s:\ngot  %s\nwant %s", what, g, w)
	}
}

func TestLaunchTemplateData(t *testing.T) {
	t.Parallel()
	s := testService()
	s.AWS.InstanceProfile = "qa-bot-instance"
	tags := []ec2types.Tag{{Key: sdkaws.String("dspy:service"), Value: sdkaws.String("qa-bot")}, {Key: sdkaws.String("team"), Value: sdkaws.String("ml")}}
	want := &ec2types.RequestLaunchTemplateData{
		ImageId:      sdkaws.String("ami-0123456789abcdef0"),
		InstanceType: ec2types.InstanceType("m7i.large"),
		UserData:     sdkaws.String(base64.StdEncoding.EncodeToString([]byte("#cloud-config\n"))),
		MetadataOptions: &ec2types.LaunchTemplateInstanceMetadataOptionsRequest{
			HttpEndpoint: ec2types.LaunchTemplateInstanceMetadataEndpointStateEnabled, HttpTokens: ec2types.LaunchTemplateHttpTokensStateRequired, HttpPutResponseHopLimit: sdkaws.Int32(1),
		},
		BlockDeviceMappings: []ec2types.LaunchTemplateBlockDeviceMappingRequest{{DeviceName: sdkaws.String("/dev/xvda"), Ebs: &ec2types.LaunchTemplateEbsBlockDeviceRequest{
			VolumeSize: sdkaws.Int32(30), VolumeType: ec2types.VolumeTypeGp3, Encrypted: sdkaws.Bool(true), DeleteOnTermination: sdkaws.Bool(true),
		}}},
		NetworkInterfaces: []ec2types.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest{{
			DeviceIndex: sdkaws.Int32(0), AssociatePublicIpAddress: sdkaws.Bool(false), Groups: []string{"sg-0123abcd"}, DeleteOnTermination: sdkaws.Bool(true),
		}},
		IamInstanceProfile: &ec2types.LaunchTemplateIamInstanceProfileSpecificationRequest{Name: sdkaws.String("qa-bot-instance")},
		TagSpecifications: []ec2types.LaunchTemplateTagSpecificationRequest{
			{ResourceType: ec2types.ResourceTypeInstance, Tags: tags}, {ResourceType: ec2types.ResourceTypeVolume, Tags: tags},
		},
	}
	assertEqual(t, "launch template data", LaunchTemplateData(testPlan(s)), want)

	s.AWS.InstanceProfile = "arn:aws:iam::123456789012:instance-profile/qa"
	s.AWS.AssociatePublicIP = true
	got := LaunchTemplateData(testPlan(s))
	if sdkaws.ToString(got.IamInstanceProfile.Arn) != s.AWS.InstanceProfile || got.IamInstanceProfile.Name != nil {
		t.Error("an instance profile ARN must be passed as Arn")
	}
	if !sdkaws.ToBool(got.NetworkInterfaces[0].AssociatePublicIpAddress) {
		t.Error("associate_public_ip_address not honoured")
	}
}

func TestCreateGroup_onDemand(t *testing.T) {
	t.Parallel()
	s := testService()
	got := CreateGroup(testPlan(s), "lt-1", "1", "")
	want := &autoscaling.CreateAutoScalingGroupInput{
		AutoScalingGroupName: sdkaws.String("qa-bot"), MinSize: sdkaws.Int32(2), MaxSize: sdkaws.Int32(20), DesiredCapacity: sdkaws.Int32(3),
		VPCZoneIdentifier: sdkaws.String("subnet-0123abcd,subnet-4567cdef"), HealthCheckType: sdkaws.String("EC2"), HealthCheckGracePeriod: sdkaws.Int32(300),
		InstanceMaintenancePolicy: &asgtypes.InstanceMaintenancePolicy{MinHealthyPercentage: sdkaws.Int32(75), MaxHealthyPercentage: sdkaws.Int32(125)},
		LaunchTemplate:            &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: sdkaws.String("lt-1"), Version: sdkaws.String("1")},
		Tags: []asgtypes.Tag{
			{Key: sdkaws.String("dspy:service"), Value: sdkaws.String("qa-bot"), PropagateAtLaunch: sdkaws.Bool(true), ResourceId: sdkaws.String("qa-bot"), ResourceType: sdkaws.String("auto-scaling-group")},
			{Key: sdkaws.String("team"), Value: sdkaws.String("ml"), PropagateAtLaunch: sdkaws.Bool(true), ResourceId: sdkaws.String("qa-bot"), ResourceType: sdkaws.String("auto-scaling-group")},
		},
	}
	assertEqual(t, "create group", got, want)
}

func TestCreateGroup_spotMixAndLoadBalancer(t *testing.T) {
	t.Parallel()
	s := testService()
	price := 0.05
	s.Instance.Types = []string{"m6i.large"}
	s.Instance.Spot = &spec.Spot{Enabled: true, OnDemandBase: 1, OnDemandPercentAboveBase: 25, MaxPrice: &price}
	s.LoadBalancing = &spec.LoadBalancing{Algorithm: spec.AlgorithmLeastRequests}
	got := CreateGroup(testPlan(s), "lt-1", "1", "arn:tg")
	wantPolicy := &asgtypes.MixedInstancesPolicy{
		LaunchTemplate: &asgtypes.LaunchTemplate{
			LaunchTemplateSpecification: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: sdkaws.String("lt-1"), Version: sdkaws.String("1")},
			Overrides:                   []asgtypes.LaunchTemplateOverrides{{InstanceType: sdkaws.String("m7i.large")}, {InstanceType: sdkaws.String("m6i.large")}},
		},
		InstancesDistribution: &asgtypes.InstancesDistribution{
			OnDemandBaseCapacity: sdkaws.Int32(1), OnDemandPercentageAboveBaseCapacity: sdkaws.Int32(25),
			SpotAllocationStrategy: sdkaws.String("price-capacity-optimized"), SpotMaxPrice: sdkaws.String("0.05"),
		},
	}
	assertEqual(t, "mixed instances policy", got.MixedInstancesPolicy, wantPolicy)
	if got.LaunchTemplate != nil {
		t.Error("a group with a mixed instances policy must not also set LaunchTemplate")
	}
	if !sdkaws.ToBool(got.CapacityRebalance) || sdkaws.ToString(got.HealthCheckType) != "ELB" || !reflect.DeepEqual(got.TargetGroupARNs, []string{"arn:tg"}) {
		t.Errorf("spot needs capacity rebalance, load balancing needs ELB health checks and the target group: %+v", got)
	}
	if LaunchTemplateData(testPlan(s)).InstanceType != "" {
		t.Error("with a mixed instances policy the types come from the overrides, not the template")
	}
}

func TestUpdateGroup_neverSetsDesired(t *testing.T) {
	t.Parallel()
	got := UpdateGroup(testPlan(testService()), "lt-1", "4")
	if got.DesiredCapacity != nil {
		t.Fatal("UpdateGroup must never push a desired capacity (no desired-capacity drift)")
	}
	if sdkaws.ToString(got.LaunchTemplate.Version) != "4" || sdkaws.ToInt32(got.MinSize) != 2 || sdkaws.ToInt32(got.MaxSize) != 20 {
		t.Errorf("update = %+v", got)
	}
}

func TestTargetGroup(t *testing.T) {
	t.Parallel()
	s := testService()
	s.LoadBalancing = &spec.LoadBalancing{Algorithm: spec.AlgorithmRoundRobin}
	got := CreateTargetGroup(testPlan(s))
	want := &elbv2.CreateTargetGroupInput{
		Name: sdkaws.String("qa-bot"), Protocol: elbtypes.ProtocolEnumHttp, Port: sdkaws.Int32(8000), VpcId: sdkaws.String("vpc-0123abcd"),
		TargetType: elbtypes.TargetTypeEnumInstance, HealthCheckEnabled: sdkaws.Bool(true), HealthCheckProtocol: elbtypes.ProtocolEnumHttp,
		HealthCheckPath: sdkaws.String("/health"), Matcher: &elbtypes.Matcher{HttpCode: sdkaws.String("200")},
		Tags: []elbtypes.Tag{{Key: sdkaws.String("dspy:service"), Value: sdkaws.String("qa-bot")}, {Key: sdkaws.String("team"), Value: sdkaws.String("ml")}},
	}
	assertEqual(t, "target group", got, want)

	for alg, want := range map[string]map[string]string{
		spec.AlgorithmRoundRobin:    {"load_balancing.algorithm.type": "round_robin"},
		spec.AlgorithmLeastRequests: {"load_balancing.algorithm.type": "least_outstanding_requests"},
		spec.AlgorithmWeighted:      {"load_balancing.algorithm.type": "weighted_random", "load_balancing.algorithm.anomaly_mitigation": "off"},
		spec.AlgorithmAdaptive:      {"load_balancing.algorithm.type": "weighted_random", "load_balancing.algorithm.anomaly_mitigation": "on"},
	} {
		in := TargetGroupAttributes("arn", alg)
		got := map[string]string{}
		for _, a := range in.Attributes {
			got[*a.Key] = *a.Value
		}
		assertEqual(t, "attributes for "+alg, got, want)
		if back := AlgorithmOf(got); back != alg {
			t.Errorf("AlgorithmOf(%v) = %s, want %s", got, back, alg)
		}
	}
}

func TestStartRefresh(t *testing.T) {
	t.Parallel()
	s := testService()
	s.Rollout = spec.Rollout{MaxUnavailablePercent: 100, MinHealthyPercent: 50, AutoRollback: true, Wait: true}
	got := StartRefresh(testPlan(s), "lt-1", "2")
	want := &autoscaling.StartInstanceRefreshInput{
		AutoScalingGroupName: sdkaws.String("qa-bot"), Strategy: asgtypes.RefreshStrategyRolling,
		DesiredConfiguration: &asgtypes.DesiredConfiguration{LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: sdkaws.String("lt-1"), Version: sdkaws.String("2")}},
		Preferences: &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(50), MaxHealthyPercentage: sdkaws.Int32(150),
			SkipMatching: sdkaws.Bool(true), AutoRollback: sdkaws.Bool(true), InstanceWarmup: sdkaws.Int32(300)},
	}
	assertEqual(t, "instance refresh", got, want)
}

func TestIsGraviton(t *testing.T) {
	t.Parallel()
	for typ, want := range map[string]bool{"m7g.large": true, "c6gn.xlarge": true, "t4g.micro": true, "r7gd.2xlarge": true, "m7i.large": false, "c7a.large": false, "m5.large": false} {
		if IsGraviton(typ) != want {
			t.Errorf("IsGraviton(%s) = %v", typ, !want)
		}
	}
}

func TestLaunchTemplateData_stateVolume(t *testing.T) {
	t.Parallel()
	s := testService()
	s.State = &spec.StateVolume{SizeGiB: 50, MountPath: "/var/lib/dspy"}
	got := LaunchTemplateData(testPlan(s)).BlockDeviceMappings
	assertEqual(t, "state volume", got[1], ec2types.LaunchTemplateBlockDeviceMappingRequest{DeviceName: sdkaws.String("/dev/xvdb"), Ebs: &ec2types.LaunchTemplateEbsBlockDeviceRequest{
		VolumeSize: sdkaws.Int32(50), VolumeType: ec2types.VolumeTypeGp3, Encrypted: sdkaws.Bool(true), DeleteOnTermination: sdkaws.Bool(true),
	}})
	a, _ := StartupHash("us-east-1", testService())
	b, _ := StartupHash("us-east-1", s)
	if a == b {
		t.Error("adding a state volume must change the startup hash (instances need the disk)")
	}
}
