package aws

import (
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwschemas "github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go/transport/http/protocol/awsquery"
)

// apiClients are the SDK clients a service needs, each honouring its endpoint override.
type apiClients struct {
	ec2 *ec2.Client
	asg *autoscaling.Client
	elb *elbv2.Client
	ssm *ssm.Client
}

func newClients(s *Session) apiClients {
	return apiClients{
		ec2: ec2.NewFromConfig(s.Config, func(o *ec2.Options) {
			if ep := s.Endpoint("ec2"); ep != nil {
				o.BaseEndpoint = ep
			}
		}),
		asg: autoscaling.NewFromConfig(s.Config, func(o *autoscaling.Options) {
			if ep := s.Endpoint("autoscaling"); ep != nil {
				o.BaseEndpoint = ep
			}
		}),
		elb: elbv2.NewFromConfig(s.Config, func(o *elbv2.Options) {
			if ep := s.Endpoint("elbv2"); ep != nil {
				o.BaseEndpoint = ep
			}
		}),
		ssm: ssm.NewFromConfig(s.Config, func(o *ssm.Options) {
			if ep := s.Endpoint("ssm"); ep != nil {
				o.BaseEndpoint = ep
			}
		}),
	}
}

// newCloudWatch is a CloudWatch client in region ("": the session's region).
func newCloudWatch(s *Session, region string) *cloudwatch.Client {
	return cloudwatch.NewFromConfig(s.Config, func(o *cloudwatch.Options) {
		if ep := s.Endpoint("cloudwatch"); ep != nil {
			o.BaseEndpoint = ep
		}
		if region != "" {
			o.Region = region
		}
		// The SDK speaks Smithy RPCv2 CBOR to CloudWatch since v1.53.0. Emulators and private
		// endpoints (moto, LocalStack) only speak the awsQuery protocol CloudWatch has always
		// accepted, so with a custom endpoint the client uses that.
		if o.BaseEndpoint != nil {
			o.Protocol = awsquery.New(cwschemas.GraniteServiceVersion20100801)
		}
	})
}

// newSSM is a Systems Manager client in region ("": the session's region).
func newSSM(s *Session, region string) *ssm.Client {
	return ssm.NewFromConfig(s.Config, func(o *ssm.Options) {
		if ep := s.Endpoint("ssm"); ep != nil {
			o.BaseEndpoint = ep
		}
		if region != "" {
			o.Region = region
		}
	})
}
