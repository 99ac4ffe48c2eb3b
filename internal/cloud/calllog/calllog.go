// Package calllog logs every cloud API call at DEBUG through tflog, with the context of the call, so
// that the provider's log sink receives it (Terraform shows it with TF_LOG=DEBUG or TRACE). Transport
// wraps the HTTP transport of the Google Cloud and Azure clients; Middleware is the AWS SDK's.
//
// One entry, "cloud API call", per HTTP attempt, with the fields:
//
//	cloud           "aws", "gcp" or "azure"
//	operation       the SDK operation on AWS (DescribeAutoScalingGroups), else the HTTP method
//	service         AWS only: the SDK's service id (Auto Scaling)
//	method          AWS only: the HTTP method
//	target          host and path, with the query string masked (see Target)
//	status          the HTTP status (absent when no response came)
//	duration_ms     from sending the request to the response headers
//	request_id      the cloud's request id: x-amzn-RequestId or x-amz-request-id, x-ms-request-id,
//	                x-guploader-uploadid (absent when the response has none)
//	correlation_id  Azure's x-ms-correlation-request-id
//	attempt         1 for the first try of a call, 2 for its first retry … where the SDK lets it be
//	                counted (AWS, and Azure through WithAttempts); absent on Google Cloud, whose
//	                client library retries above the transport without marking the call
//	error           why no response came, without the request's URL; on AWS also the API error
//	                code of an error response
//
// Nothing else of a request or response is logged: no bodies, no headers but the request ids (so no
// Authorization, x-amz-security-token or cookies), no user information of a URL, and no value of a
// query parameter whose name looks secret.
package calllog

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Message is the message of every entry.
const Message = "cloud API call"

// Masked replaces the value of a secret-looking query parameter.
const Masked = "REDACTED"

// Transport returns base (http.DefaultTransport when nil) logging each request it sends for cloud.
func Transport(cloud string, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{cloud: cloud, base: base}
}

type transport struct {
	cloud string
	base  http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	attempt := nextAttempt(ctx)
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	fields := map[string]any{
		"cloud":       t.cloud,
		"operation":   req.Method,
		"target":      Target(req.URL),
		"duration_ms": milliseconds(time.Since(start)),
	}
	if attempt > 0 {
		fields["attempt"] = attempt
	}
	if resp != nil {
		fields["status"] = resp.StatusCode
		addRequestIDs(fields, resp.Header)
	}
	if err != nil {
		fields["error"] = sendError(err)
	}
	tflog.Debug(ctx, Message, fields)
	return resp, err
}

type attemptsKey struct{}

// WithAttempts returns ctx with a new attempt counter: the requests Transport sends with a context
// derived from it are logged as attempts 1, 2, … of one call. Call it once per call, above the
// SDK's retries (an azcore per-call policy).
func WithAttempts(ctx context.Context) context.Context {
	return context.WithValue(ctx, attemptsKey{}, new(atomic.Int32))
}

// nextAttempt counts one attempt of ctx's call; 0 when ctx has no counter.
func nextAttempt(ctx context.Context) int {
	if n, ok := ctx.Value(attemptsKey{}).(*atomic.Int32); ok {
		return int(n.Add(1))
	}
	return 0
}

// requestIDHeaders are the response headers that carry a cloud's request id, in the order they are
// looked for.
var requestIDHeaders = []string{"X-Amzn-Requestid", "X-Amz-Request-Id", "X-Ms-Request-Id", "X-Guploader-Uploadid"}

func addRequestIDs(fields map[string]any, h http.Header) {
	for _, k := range requestIDHeaders {
		if v := h.Get(k); v != "" {
			fields["request_id"] = v
			break
		}
	}
	if v := h.Get("X-Ms-Correlation-Request-Id"); v != "" {
		fields["correlation_id"] = v
	}
}

// Target is u's host and path, and its query string with the value of every parameter whose name
// looks secret replaced by Masked (see SecretParam). A query string that does not parse is dropped.
func Target(u *url.URL) string {
	if u == nil {
		return ""
	}
	t := u.Host + u.Path
	if u.RawQuery == "" {
		return t
	}
	if _, err := url.ParseQuery(u.RawQuery); err != nil {
		return t + "?" + Masked
	}
	params := strings.Split(u.RawQuery, "&")
	for i, p := range params {
		k, _, hasValue := strings.Cut(p, "=")
		if name, err := url.QueryUnescape(k); hasValue && (err != nil || SecretParam(name)) {
			params[i] = k + "=" + Masked
		}
	}
	return t + "?" + strings.Join(params, "&")
}

// secretWords are the parts of a query parameter's name that make its value secret.
var secretWords = []string{"sig", "token", "code", "key", "secret", "pass", "credential", "auth", "assertion", "session"}

// SecretParam reports whether a query parameter's value may be a secret: AWS's X-Amz-* (a presigned
// URL's credential, signature and security token) and every name containing sig (Azure SAS sig, a
// signature), token, code, key, secret, pass, credential, auth, assertion or session. It errs on
// the side of masking.
func SecretParam(name string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, "x-amz-") {
		return true
	}
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// sendError describes a failure to send without the request's URL, which url.Error repeats and
// whose query string may hold a secret.
func sendError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + sendError(ue.Err)
	}
	return err.Error()
}

func milliseconds(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}
