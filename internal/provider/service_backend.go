package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/clients"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// awsSession checks that typeName has a backend on the id's cloud and returns the AWS session for
// the id's region, built on first use. Every AWS-backed resource and data source starts here.
func awsSession(ctx context.Context, set *clients.Set, typeName string, id spec.ServiceID) (*aws.Session, error) {
	if err := cloud.Available(typeName, id.Cloud); err != nil {
		return nil, err
	}
	if set == nil {
		return nil, fmt.Errorf("the provider is not configured")
	}
	if id.Cloud != spec.AWS {
		return nil, &cloud.NotAvailableError{Resource: typeName, Cloud: id.Cloud}
	}
	return set.AWSSession(ctx, id.Region())
}

// serviceAPI returns the backend of dspy_service for a service id's cloud.
func (r *serviceResource) serviceAPI(ctx context.Context, id spec.ServiceID) (cloud.ServiceAPI, error) {
	sess, err := awsSession(ctx, r.clients, serviceTypeName, id)
	if err != nil {
		return nil, err
	}
	return aws.NewServiceAPI(sess), nil
}

// healthAPI returns the backend of dspy_service_health for a service id's cloud.
func healthAPI(ctx context.Context, set *clients.Set, id spec.ServiceID) (cloud.HealthAPI, error) {
	sess, err := awsSession(ctx, set, serviceHealthTypeName, id)
	if err != nil {
		return nil, err
	}
	return aws.NewServiceAPI(sess), nil
}

// policyAPI returns the backend of dspy_scaling_policy for the service's cloud.
func (r *scalingPolicyResource) policyAPI(ctx context.Context, id spec.ServiceID) (cloud.PolicyAPI, error) {
	sess, err := awsSession(ctx, r.clients, scalingPolicyTypeName, id)
	if err != nil {
		return nil, err
	}
	return aws.NewPolicyAPI(sess), nil
}

// startupHash computes the plan-time hash of what instances run, without cloud calls.
func startupHash(id spec.ServiceID, s *spec.Service) (string, error) {
	if id.Cloud == spec.AWS {
		return aws.StartupHash(id.Region(), s)
	}
	return "", &cloud.NotAvailableError{Resource: serviceTypeName, Cloud: id.Cloud}
}

// backendFor parses a service id from state and resolves the backend for its cloud, reporting a
// failure under summary ("Unable to Read Service").
func backendFor[A any](ctx context.Context, raw types.String, summary string, d *diag.Diagnostics, get func(context.Context, spec.ServiceID) (A, error)) (A, spec.ServiceID, bool) {
	var zero A
	id, err := spec.ParseServiceID(raw.ValueString())
	if err != nil {
		d.AddError(summary, err.Error())
		return zero, id, false
	}
	api, err := get(ctx, id)
	if err != nil {
		addCloudError(d, summary, err)
		return zero, id, false
	}
	return api, id, true
}

// configureClients is the Configure of every resource and data source that calls a cloud.
func configureClients(data any, d *diag.Diagnostics) *clients.Set {
	set, problem := clientsFrom(data)
	if problem != "" {
		d.AddError("Unexpected Provider Data", problem)
	}
	return set
}

// serviceNotFound reports, as an error on service_id, a data source read of a service that does not
// exist, and says whether it did.
func serviceNotFound(d *diag.Diagnostics, id spec.ServiceID, err error) bool {
	if !errors.Is(err, cloud.ErrNotFound) {
		return false
	}
	d.AddAttributeError(path.Root("service_id"), "Service Not Found",
		fmt.Sprintf("No service %s exists (its group %s was not found). Check service_id, or create the dspy_service first.", id, id.Name))
	return true
}
