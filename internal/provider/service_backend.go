package provider

import (
	"context"
	"fmt"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/clients"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// serviceAPI returns the backend of dspy_service for a service id's cloud, building that cloud's
// session on first use.
func (r *serviceResource) serviceAPI(ctx context.Context, id spec.ServiceID) (cloud.ServiceAPI, error) {
	if err := cloud.Available(serviceTypeName, id.Cloud); err != nil {
		return nil, err
	}
	if r.clients == nil {
		return nil, fmt.Errorf("the provider is not configured")
	}
	if id.Cloud == spec.AWS {
		sess, err := r.clients.AWSSession(ctx, id.Region())
		if err != nil {
			return nil, err
		}
		return aws.NewServiceAPI(sess), nil
	}
	return nil, &cloud.NotAvailableError{Resource: serviceTypeName, Cloud: id.Cloud}
}

// healthAPI returns the backend of dspy_service_health for a service id's cloud.
func healthAPI(ctx context.Context, set *clients.Set, id spec.ServiceID) (cloud.HealthAPI, error) {
	if err := cloud.Available(serviceHealthTypeName, id.Cloud); err != nil {
		return nil, err
	}
	if set == nil {
		return nil, fmt.Errorf("the provider is not configured")
	}
	if id.Cloud == spec.AWS {
		sess, err := set.AWSSession(ctx, id.Region())
		if err != nil {
			return nil, err
		}
		return aws.NewServiceAPI(sess), nil
	}
	return nil, &cloud.NotAvailableError{Resource: serviceHealthTypeName, Cloud: id.Cloud}
}

// startupHash computes the plan-time hash of what instances run, without cloud calls.
func startupHash(id spec.ServiceID, s *spec.Service) (string, error) {
	if id.Cloud == spec.AWS {
		return aws.StartupHash(id.Region(), s)
	}
	return "", &cloud.NotAvailableError{Resource: serviceTypeName, Cloud: id.Cloud}
}
