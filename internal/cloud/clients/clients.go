// Package clients holds the provider's per-cloud sessions and builds each on first use, so a
// configuration that only uses one cloud never needs the others' credentials.
package clients

import (
	"context"
	"os"
	"sync"

	"cloud.google.com/go/auth"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/azure"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/gcp"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// PricingSource says where cost data sources read prices.
type PricingSource string

const (
	PricingEmbedded PricingSource = "embedded"
	PricingLive     PricingSource = "live"
)

// Set is what the provider's Configure hands to resources and data sources.
type Set struct {
	AWS     aws.Settings
	GCP     gcp.Settings
	Azure   azure.Settings
	Pricing PricingSource

	mu        sync.Mutex
	claimed   map[string]bool
	awsByRgn  map[string]*aws.Session
	gcpCreds  *auth.Credentials
	azureSess *azure.Session
}

// New returns a Set that has built nothing yet.
func New(a aws.Settings, g gcp.Settings, z azure.Settings, p PricingSource) *Set {
	return &Set{AWS: a, GCP: g.FromEnv(), Azure: z.FromEnv(), Pricing: p, awsByRgn: map[string]*aws.Session{}, claimed: map[string]bool{}}
}

// Claim records that one resource of the configuration being planned creates the object key (a
// service id, a budget name …) and reports false when another resource already claimed it. A Set
// lives for one Terraform operation (a provider Configure), in which each resource is planned once.
func (s *Set) Claim(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.claimed[key] {
		return false
	}
	s.claimed[key] = true
	return true
}

// AWSSession returns the session for region (or the configured default when region is ""), loading
// and verifying credentials the first time. Failures are not cached, so a fixed environment recovers.
func (s *Set) AWSSession(ctx context.Context, region string) (*aws.Session, error) {
	if region == "" {
		region = s.AWS.Region
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess, ok := s.awsByRgn[region]; ok {
		return sess, nil
	}
	sess, err := aws.Load(ctx, s.AWS, region)
	if err != nil {
		return nil, err
	}
	s.awsByRgn[region] = sess
	return sess, nil
}

// GCPCredentials returns the Google Cloud credentials, resolving them the first time.
func (s *Set) GCPCredentials() (*auth.Credentials, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gcpCreds != nil {
		return s.gcpCreds, nil
	}
	c, err := gcp.Load(s.GCP)
	if err != nil {
		return nil, err
	}
	s.gcpCreds = c
	return c, nil
}

// AzureSession returns the Azure session, building the credential chain the first time.
func (s *Set) AzureSession(ctx context.Context) (*azure.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.azureSess != nil {
		return s.azureSess, nil
	}
	z, err := azure.Load(ctx, s.Azure)
	if err != nil {
		return nil, err
	}
	s.azureSess = z
	return z, nil
}

// Built reports which clouds have a session, for tests of laziness.
func (s *Set) Built() (awsRegions int, gcpBuilt, azureBuilt bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.awsByRgn), s.gcpCreds != nil, s.azureSess != nil
}

// DefaultAWSRegion is the region a service without aws.region runs in, as far as it is known without
// loading the shared config: the provider's aws.region, then AWS_REGION, then AWS_DEFAULT_REGION.
func (s *Set) DefaultAWSRegion() string {
	for _, v := range []string{s.AWS.Region, os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION")} {
		if v != "" {
			return v
		}
	}
	return ""
}

// DefaultTags returns the provider's default tags (labels) for cloud c.
func (s *Set) DefaultTags(c spec.Cloud) map[string]string {
	switch c {
	case spec.AWS:
		return s.AWS.DefaultTags
	case spec.GCP:
		return s.GCP.DefaultLabels
	case spec.Azure:
		return s.Azure.DefaultTags
	}
	return nil
}
