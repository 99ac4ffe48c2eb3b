package aws

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
)

// captured answers every request with an empty CBOR map and remembers it.
type captured struct{ reqs []*http.Request }

func (c *captured) Do(r *http.Request) (*http.Response, error) {
	c.reqs = append(c.reqs, r)
	h := http.Header{}
	h.Set("Content-Type", "application/cbor")
	h.Set("Smithy-Protocol", "rpc-v2-cbor")
	return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(bytes.NewReader([]byte{0xa0})), Request: r}, nil
}

// TestCloudWatchProtocol: against AWS itself (no endpoint override), the CloudWatch client speaks
// the protocol real users get — Smithy RPCv2 CBOR, to monitoring.<region>.amazonaws.com — and only
// an endpoint override (emulators, which lack CBOR) switches it to awsQuery.
func TestCloudWatchProtocol(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH", "")
	for _, tc := range []struct {
		name                         string
		endpoints                    map[string]string
		wantHost, wantType, wantPath string
	}{
		{"AWS", nil, "monitoring.eu-west-1.amazonaws.com", "application/cbor", "/service/GraniteServiceVersion20100801/operation/DescribeAlarms"},
		{"override", map[string]string{"cloudwatch": "https://cw.internal.example"}, "cw.internal.example", "application/x-www-form-urlencoded", "/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &captured{}
			s := &Session{Endpoints: tc.endpoints, Config: sdkaws.Config{
				Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""), HTTPClient: c,
			}}
			_, _ = newCloudWatch(s, "").DescribeAlarms(context.Background(), &cloudwatch.DescribeAlarmsInput{})
			if len(c.reqs) == 0 {
				t.Fatal("no request was sent")
			}
			r := c.reqs[0]
			if r.URL.Host != tc.wantHost || r.URL.Path != tc.wantPath {
				t.Errorf("request to %s%s, want %s%s", r.URL.Host, r.URL.Path, tc.wantHost, tc.wantPath)
			}
			if got := r.Header.Get("Content-Type"); got != tc.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tc.wantType)
			}
			if tc.wantType == "application/cbor" && r.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" {
				t.Errorf("Smithy-Protocol = %q, want rpc-v2-cbor", r.Header.Get("Smithy-Protocol"))
			}
		})
	}
}
