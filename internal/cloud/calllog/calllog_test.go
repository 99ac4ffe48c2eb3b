package calllog_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud/calllog"
)

// entries decodes the captured log, failing on anything but DEBUG "cloud API call" entries.
func entries(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	out, err := tflogtest.MultilineJSONDecode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range out {
		if e["@level"] != "debug" || e["@message"] != calllog.Message {
			t.Errorf("entry %v, want DEBUG %q", e, calllog.Message)
		}
	}
	return out
}

func TestTransport(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("X-Ms-Request-Id", "req-1")
		w.Header().Set("X-Ms-Correlation-Request-Id", "corr-1")
		w.Header().Set("Set-Cookie", "session=s3cr3t-cookie")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"access_token":"s3cr3t-body"}`))
	}))
	t.Cleanup(srv.Close)

	var buf bytes.Buffer
	ctx := calllog.WithAttempts(tflogtest.RootLogger(context.Background(), &buf))
	client := &http.Client{Transport: calllog.Transport("azure", nil)}
	for range 2 {
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, srv.URL+"/v1/things/a?api-version=2024-01-01&sig=s3cr3t-sig", strings.NewReader(`{"password":"s3cr3t-pw"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer s3cr3t-token")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	mu.Lock()
	if len(auth) != 2 || auth[0] != "Bearer s3cr3t-token" {
		t.Errorf("the server saw Authorization %q: the transport must pass the request on unchanged", auth)
	}
	mu.Unlock()

	got := entries(t, &buf)
	if len(got) != 2 {
		t.Fatalf("%d entries for 2 calls:\n%s", len(got), buf.String())
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	for i, e := range got {
		want := map[string]any{"cloud": "azure", "operation": "PUT", "target": host + "/v1/things/a?api-version=2024-01-01&sig=REDACTED",
			"status": float64(http.StatusCreated), "request_id": "req-1", "correlation_id": "corr-1", "attempt": float64(i + 1)}
		for k, v := range want {
			if e[k] != v {
				t.Errorf("entry %d: %s = %v, want %v", i, k, e[k], v)
			}
		}
		if d, ok := e["duration_ms"].(float64); !ok || d < 0 {
			t.Errorf("entry %d: duration_ms = %v", i, e["duration_ms"])
		}
	}
	if strings.Contains(buf.String(), "s3cr3t") {
		t.Errorf("the log holds a secret:\n%s", buf.String())
	}
}

// TestTransport_sendError: a call that gets no response is logged without status and without its
// URL, whose query may hold a secret; no attempt is logged for a context without a counter.
func TestTransport_sendError(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL + "/token?code=s3cr3t-code"
	srv.Close()
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&http.Client{Transport: calllog.Transport("gcp", nil)}).Do(req); err == nil {
		t.Fatal("a closed server answered")
	}
	got := entries(t, &buf)
	if len(got) != 1 {
		t.Fatalf("%d entries:\n%s", len(got), buf.String())
	}
	e := got[0]
	if msg, _ := e["error"].(string); e["cloud"] != "gcp" || e["status"] != nil || e["attempt"] != nil || msg == "" || strings.Contains(msg, "/token") {
		t.Errorf("entry %v", e)
	}
	if strings.Contains(buf.String(), "s3cr3t") {
		t.Errorf("the log holds a secret:\n%s", buf.String())
	}
}

func TestTarget(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"https://compute.googleapis.com/compute/v1/projects/p/regions/r/autoscalers/a", "compute.googleapis.com/compute/v1/projects/p/regions/r/autoscalers/a"},
		{"https://user:pw@h.example/p?alt=json&pageToken=abc", "h.example/p?alt=json&pageToken=REDACTED"},
		{"https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2025-01-01&sp=r&sig=abc%2Fdef", "acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2025-01-01&sp=r&sig=REDACTED"},
		{"https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=ff&X-Amz-Security-Token=t&versionId=3",
			"b.s3.amazonaws.com/k?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Security-Token=REDACTED&versionId=3"},
		{"https://h.example/cb?code=c&state=s&key=k&client_secret=x&Password=p", "h.example/cb?code=REDACTED&state=s&key=REDACTED&client_secret=REDACTED&Password=REDACTED"},
		{"https://h.example/p?a=1;token=2", "h.example/p?REDACTED"},
		{"https://h.example/p?flag", "h.example/p?flag"},
	} {
		u, err := url.Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := calllog.Target(u); got != tc.want {
			t.Errorf("Target(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// TestMiddleware: every attempt of an AWS call is an entry with the SDK's service and operation,
// the status, the request id and the attempt number, and nothing of the credentials.
func TestMiddleware(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("X-Amzn-Requestid", "rid-"+strconv.Itoa(int(n)))
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>try again</Message></Error></ErrorResponse>`))
			return
		}
		_, _ = w.Write([]byte(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
			`<Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`))
	}))
	t.Cleanup(srv.Close)

	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	client := sts.New(sts.Options{
		Region:       "us-east-1",
		BaseEndpoint: sdkaws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "s3cr3t-key", "s3cr3t-session"),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
		APIOptions: []func(*middleware.Stack) error{calllog.Middleware},
	})
	if _, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	got := entries(t, &buf)
	if len(got) != 2 {
		t.Fatalf("%d entries for 2 attempts:\n%s", len(got), buf.String())
	}
	for i, want := range []map[string]any{
		{"status": float64(http.StatusServiceUnavailable), "attempt": float64(1), "request_id": "rid-1", "error": "ServiceUnavailable"},
		{"status": float64(http.StatusOK), "attempt": float64(2), "request_id": "rid-2"},
	} {
		want["cloud"], want["service"], want["operation"], want["method"] = "aws", "STS", "GetCallerIdentity", "POST"
		want["target"] = strings.TrimPrefix(srv.URL, "http://") + "/"
		for k, v := range want {
			if got[i][k] != v {
				t.Errorf("entry %d: %s = %v, want %v", i, k, got[i][k], v)
			}
		}
	}
	if got[1]["error"] != nil {
		t.Errorf("the successful attempt logs error %v", got[1]["error"])
	}
	if strings.Contains(buf.String(), "s3cr3t") || strings.Contains(buf.String(), "AKIDEXAMPLE") {
		t.Errorf("the log holds a credential:\n%s", buf.String())
	}
}
