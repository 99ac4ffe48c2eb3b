package gcp

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"cloud.google.com/go/auth"
	compute "cloud.google.com/go/compute/apiv1"
	"google.golang.org/api/option"
	htransport "google.golang.org/api/transport/http"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud/calllog"
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
	override := b.settings.Endpoints["compute"]
	endpoint := DefaultEndpoint
	if override != "" {
		endpoint = override
	}
	opts, hc, err := apiOptions(ctx, creds, b.userAgent, override)
	if err != nil {
		return nil, fmt.Errorf("building the Compute Engine HTTP client: %w", err)
	}
	c, err = newCompute(ctx, opts)
	if err != nil {
		return nil, err
	}
	c.http, c.endpoint = hc, endpoint
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.compute == nil {
		b.compute = c
	}
	return b.compute, nil
}

// apiOptions are the options of a Google API client sending to endpoint ("" for the API's own): one
// HTTP client, which carries the credentials, the User-Agent (cloud.Settings.UserAgent, when set)
// and the given transport options (a quota project), and logs every call at DEBUG (calllog). The
// client is returned too, for requests the typed clients cannot make.
func apiOptions(ctx context.Context, creds *auth.Credentials, userAgent, endpoint string, transport ...option.ClientOption) ([]option.ClientOption, *http.Client, error) {
	topts := append([]option.ClientOption{option.WithAuthCredentials(creds)}, transport...)
	if userAgent != "" {
		topts = append(topts, option.WithUserAgent(userAgent))
	}
	var opts []option.ClientOption
	if endpoint != "" {
		topts = append(topts, option.WithEndpoint(endpoint))
		opts = append(opts, option.WithEndpoint(endpoint))
	}
	hc, _, err := htransport.NewClient(ctx, topts...)
	if err != nil {
		return nil, nil, err
	}
	hc.Transport = calllog.Transport("gcp", hc.Transport)
	return append(opts, option.WithHTTPClient(hc)), hc, nil
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
