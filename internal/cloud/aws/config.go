// Package aws builds AWS SDK clients from the provider configuration and (as the backend lands)
// translates service specs into Auto Scaling, EC2 and ELBv2 calls.
package aws

import (
	"context"
	"fmt"
	"os"
	"sort"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/calllog"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Services whose endpoint the provider configuration can override (endpoints { … }).
var Services = cloud.AWSEndpointServices

// Settings is the provider's aws block.
type Settings = cloud.AWSSettings

// AssumeRole is the role the provider assumes after loading base credentials.
type AssumeRole = cloud.AWSAssumeRole

// Session is a loaded AWS configuration plus the endpoint overrides to apply per service client.
type Session struct {
	Config    sdkaws.Config
	Endpoints map[string]string
}

// Endpoint returns the override for service, or nil to let the SDK resolve it (which honours
// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>). Only assign a non-nil result to a client's
// BaseEndpoint: assigning nil would discard the endpoint the SDK took from the environment.
func (s *Session) Endpoint(service string) *string {
	if u, ok := s.Endpoints[service]; ok && u != "" {
		return &u
	}
	return nil
}

// Retries: as many as the AWS provider makes (25 attempts, backoff up to 20 s), and no client-side
// retry quota — under heavy throttling the SDK's default quota (500 tokens) runs out and turns
// retryable errors into failures that reach the user.
const (
	maxAttempts = 25
	maxBackoff  = 20 * time.Second
	// Look-ups that have a fallback (live prices) give up sooner.
	lookupAttempts = 3
	lookupBackoff  = 2 * time.Second
)

func newRetryer() sdkaws.Retryer {
	return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
		o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
			so.MaxAttempts = maxAttempts
			so.MaxBackoff = maxBackoff
			so.RateLimiter = ratelimit.None
		})
	})
}

// Load is LoadWithUserAgent without a User-Agent of the provider's own: the SDK's alone.
func Load(ctx context.Context, s Settings, region string) (*Session, error) {
	return LoadWithUserAgent(ctx, s, region, "")
}

// LoadWithUserAgent resolves credentials through the SDK's default chain — environment, shared
// config and credentials files, web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, which
// Terraform Cloud dynamic credentials set), ECS and EC2 instance roles — then assumes the configured
// role, and checks that credentials can actually be retrieved so a problem surfaces once, clearly.
// Every client built from the session (the role's STS client too) leads its User-Agent header with
// userAgent (cloud.Settings.UserAgent) and logs each call at DEBUG (calllog).
func LoadWithUserAgent(ctx context.Context, s Settings, region, userAgent string) (*Session, error) {
	apiOptions := []func(*middleware.Stack) error{calllog.Middleware}
	if userAgent != "" {
		apiOptions = append(apiOptions, leadUserAgent(userAgent))
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(newRetryer),
		config.WithAPIOptions(apiOptions),
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	if s.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(s.Profile))
	}
	if len(s.SharedConfigFiles) > 0 {
		opts = append(opts, config.WithSharedConfigFiles(s.SharedConfigFiles))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, credentialError(s, "Unable to load the AWS configuration", err)
	}
	if cfg.Region == "" {
		return nil, &cloud.ConfigError{
			Cloud:   spec.AWS,
			Problem: "AWS: no region is configured",
			Tried:   []string{"the service's aws.region", "the provider's aws.region", "AWS_REGION and AWS_DEFAULT_REGION", "the region of the shared config profile"},
			Fix:     []string{"aws { region = \"us-east-1\" } in the provider block", "aws.region in the dspy_service", "the AWS_REGION environment variable"},
		}
	}
	sess := &Session{Config: cfg, Endpoints: s.Endpoints}
	if ar := s.AssumeRole; ar != nil && ar.RoleARN != "" {
		stsClient := sts.NewFromConfig(cfg, func(o *sts.Options) {
			if ep := sess.Endpoint("sts"); ep != nil {
				o.BaseEndpoint = ep
			}
		})
		provider := stscreds.NewAssumeRoleProvider(stsClient, ar.RoleARN, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = ar.SessionName
			if o.RoleSessionName == "" {
				o.RoleSessionName = "terraform-provider-dspy"
			}
			if ar.ExternalID != "" {
				o.ExternalID = sdkaws.String(ar.ExternalID)
			}
		})
		sess.Config.Credentials = sdkaws.NewCredentialsCache(provider)
	}
	if _, err := sess.Config.Credentials.Retrieve(ctx); err != nil {
		if s.AssumeRole != nil && s.AssumeRole.RoleARN != "" {
			return nil, &cloud.ConfigError{
				Cloud:   spec.AWS,
				Problem: fmt.Sprintf("AWS: unable to assume role %s", s.AssumeRole.RoleARN),
				Tried:   []string{"base credentials from the default chain", "sts:AssumeRole on " + s.AssumeRole.RoleARN},
				Fix:     []string{"aws.assume_role.role_arn naming a role whose trust policy allows the base identity", "aws.assume_role.external_id when the role requires one"},
				Err:     err,
			}
		}
		return nil, credentialError(s, "AWS: no valid credentials were found", err)
	}
	return sess, nil
}

// leadUserAgent puts ua before the SDK's own User-Agent, once per call (the build step is above the
// retries). The SDK's AddUserAgentKey would rewrite the spaces, parentheses and colon of the product
// list, so the header is written here, after the SDK's middleware has written its part.
func leadUserAgent(ua string) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Build.Add(middleware.BuildMiddlewareFunc("DSPyUserAgent", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (
			middleware.BuildOutput, middleware.Metadata, error,
		) {
			if req, ok := in.Request.(*smithyhttp.Request); ok {
				v := ua
				if sdk := req.Header.Get("User-Agent"); sdk != "" {
					v += " " + sdk
				}
				req.Header.Set("User-Agent", v)
			}
			return next.HandleBuild(ctx, in)
		}), middleware.After)
	}
}

func credentialError(s Settings, problem string, err error) error {
	tried := []string{
		"environment: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN",
		fmt.Sprintf("shared config profile %q in %s", profileName(s), sharedFiles(s)),
		"web identity: AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN (Terraform Cloud dynamic credentials)",
		"container credentials (ECS) and the EC2 instance profile (IMDS)",
	}
	return &cloud.ConfigError{
		Cloud:   spec.AWS,
		Problem: problem,
		Tried:   tried,
		Fix: []string{
			"AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
			"AWS_PROFILE or aws { profile = \"…\" } naming a profile that exists",
			"aws { shared_config_files = [\"…\"] } pointing at your config file",
			"Terraform Cloud: TFC_AWS_PROVIDER_AUTH = true and TFC_AWS_RUN_ROLE_ARN on the workspace",
		},
		Err: err,
	}
}

func profileName(s Settings) string {
	if s.Profile != "" {
		return s.Profile
	}
	if p := os.Getenv("AWS_PROFILE"); p != "" {
		return p
	}
	return "default"
}

func sharedFiles(s Settings) string {
	if len(s.SharedConfigFiles) > 0 {
		files := append([]string(nil), s.SharedConfigFiles...)
		sort.Strings(files)
		return fmt.Sprint(files)
	}
	return "~/.aws/config and ~/.aws/credentials"
}
