package gcp

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	compute "cloud.google.com/go/compute/apiv1"
	"google.golang.org/api/option"
	htransport "google.golang.org/api/transport/http"
)

// Compute holds the Compute Engine REST clients a service, its scaling policy and its backup
// schedule use, built once per backend from its credentials and gcp.endpoints.compute.
type Compute struct {
	Templates    *compute.RegionInstanceTemplatesClient
	Groups       *compute.RegionInstanceGroupManagersClient
	HealthChecks *compute.RegionHealthChecksClient
	Backends     *compute.RegionBackendServicesClient
	Autoscalers  *compute.RegionAutoscalersClient
	Policies     *compute.ResourcePoliciesClient
	Operations   *compute.RegionOperationsClient
	// Projects and GlobalOperations hand a token budget to a service (project metadata).
	Projects         *compute.ProjectsClient
	GlobalOperations *compute.GlobalOperationsClient

	// http and endpoint send what the typed clients cannot encode (see patchJSON).
	http     *http.Client
	endpoint string
}

// Compute returns the backend's Compute Engine clients, building them the first time.
func (b *Backend) Compute(ctx context.Context) (*Compute, error) {
	b.mu.Lock()
	c := b.compute
	b.mu.Unlock()
	if c != nil {
		return c, nil
	}
	creds, err := b.Credentials()
	if err != nil {
		return nil, err
	}
	opts := []option.ClientOption{option.WithAuthCredentials(creds)}
	endpoint := DefaultEndpoint
	if ep := b.settings.Endpoints["compute"]; ep != "" {
		opts, endpoint = append(opts, option.WithEndpoint(ep)), ep
	}
	c, err = newCompute(ctx, opts)
	if err != nil {
		return nil, err
	}
	if c.http, _, err = htransport.NewClient(ctx, append(opts, option.WithEndpoint(endpoint))...); err != nil {
		return nil, fmt.Errorf("building the Compute Engine HTTP client: %w", err)
	}
	c.endpoint = endpoint
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.compute == nil {
		b.compute = c
	}
	return b.compute, nil
}

func newCompute(ctx context.Context, opts []option.ClientOption) (*Compute, error) {
	var errs []error
	must := func(err error) { errs = append(errs, err) }
	c := &Compute{}
	var err error
	c.Templates, err = compute.NewRegionInstanceTemplatesRESTClient(ctx, opts...)
	must(err)
	c.Groups, err = compute.NewRegionInstanceGroupManagersRESTClient(ctx, opts...)
	must(err)
	c.HealthChecks, err = compute.NewRegionHealthChecksRESTClient(ctx, opts...)
	must(err)
	c.Backends, err = compute.NewRegionBackendServicesRESTClient(ctx, opts...)
	must(err)
	c.Autoscalers, err = compute.NewRegionAutoscalersRESTClient(ctx, opts...)
	must(err)
	c.Policies, err = compute.NewResourcePoliciesRESTClient(ctx, opts...)
	must(err)
	c.Operations, err = compute.NewRegionOperationsRESTClient(ctx, opts...)
	must(err)
	c.Projects, err = compute.NewProjectsRESTClient(ctx, opts...)
	must(err)
	c.GlobalOperations, err = compute.NewGlobalOperationsRESTClient(ctx, opts...)
	must(err)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("building the Compute Engine clients: %w", err)
	}
	return c, nil
}
