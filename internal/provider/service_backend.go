package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/backends"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// backendAPI resolves, through the backend registry, the API of interface I that typeName needs on
// cloud c. Every resource and data source reaches its cloud here: a cloud whose backend does not
// implement I is "not available in this version".
func backendAPI[I any](set *cloud.Backends, typeName string, c spec.Cloud) (I, error) {
	var zero I
	if err := backends.Registry.Available(typeName, c); err != nil {
		return zero, err
	}
	if set == nil {
		return zero, fmt.Errorf("the provider is not configured")
	}
	return cloud.For[I](set, typeName, c)
}

// serviceAPI returns the backend of dspy_service for a service id's cloud.
func (r *serviceResource) serviceAPI(ctx context.Context, id spec.ServiceID) (cloud.ServiceAPI, error) {
	b, err := backendAPI[cloud.ServiceBackend](r.clients, serviceTypeName, id.Cloud)
	if err != nil {
		return nil, err
	}
	return b.ServiceAPI(ctx, id)
}

// healthAPI returns the backend of dspy_service_health for a service id's cloud.
func healthAPI(ctx context.Context, set *cloud.Backends, id spec.ServiceID) (cloud.HealthAPI, error) {
	b, err := backendAPI[cloud.HealthBackend](set, serviceHealthTypeName, id.Cloud)
	if err != nil {
		return nil, err
	}
	return b.HealthAPI(ctx, id)
}

// policyAPI returns the backend of dspy_scaling_policy for the service's cloud.
func (r *scalingPolicyResource) policyAPI(ctx context.Context, id spec.ServiceID) (cloud.PolicyAPI, error) {
	b, err := backendAPI[cloud.PolicyBackend](r.clients, scalingPolicyTypeName, id.Cloud)
	if err != nil {
		return nil, err
	}
	return b.PolicyAPI(ctx, id)
}

// planner returns the credential-free planner of cloud c for typeName.
func planner(typeName string, c spec.Cloud) (cloud.Planner, error) {
	if err := backends.Registry.Available(typeName, c); err != nil {
		return nil, err
	}
	return backends.Registry.Planner(typeName, c)
}

// startupHash computes the plan-time hash of what instances run, without cloud calls.
func startupHash(id spec.ServiceID, s *spec.Service) (string, error) {
	p, err := planner(serviceTypeName, id.Cloud)
	if err != nil {
		return "", err
	}
	return p.StartupHash(id, s)
}

// loadBalancingInPlace reports whether cloud c adds and removes load balancing without replacing
// the service.
func loadBalancingInPlace(c spec.Cloud) bool {
	p, err := planner(serviceTypeName, c)
	lb, ok := p.(cloud.LoadBalancingInPlace)
	return err == nil && ok && lb.LoadBalancingInPlace()
}

// checkCredentials checks a credentials value of cloud c's provider block without using it, where
// c's planner can.
func checkCredentials(c spec.Cloud, v string) error {
	p, err := backends.Registry.Planner("provider", c)
	if cc, ok := p.(interface{ CheckCredentials(string) error }); ok && err == nil {
		return cc.CheckCredentials(v)
	}
	return nil
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
func configureClients(data any, d *diag.Diagnostics) *cloud.Backends {
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
