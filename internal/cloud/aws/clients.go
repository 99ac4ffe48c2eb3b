package aws

import (
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
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
