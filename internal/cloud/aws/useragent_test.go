package aws

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

const testUserAgent = "Terraform/1.11.4 (+https://www.terraform.io) terraform-provider-dspy/test"

// TestBackend_userAgent: a client of a session the backend loads from Settings sends the
// provider's User-Agent ahead of the SDK's, unaltered, and its calls are logged at DEBUG.
func TestBackend_userAgent(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.Header.Get("User-Agent"))
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("X-Amzn-Requestid", "rid-asg")
		_, _ = w.Write([]byte(`<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">` +
			`<DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult>` +
			`<ResponseMetadata><RequestId>rid-asg</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>`))
	}))
	t.Cleanup(srv.Close)

	b := NewBackend(&cloud.Settings{UserAgent: testUserAgent,
		AWS: cloud.AWSSettings{Region: "us-east-1", Endpoints: map[string]string{"autoscaling": srv.URL}}}).(*Backend)
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	sess, err := b.Session(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newClients(sess).asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(agents) != 1 || !strings.HasPrefix(agents[0], testUserAgent+" aws-sdk-go-v2/") {
		t.Errorf("User-Agent %q, want %q followed by the SDK's", agents, testUserAgent)
	}
	logged := buf.String()
	for _, want := range []string{`"operation":"DescribeAutoScalingGroups"`, `"service":"Auto Scaling"`, `"request_id":"rid-asg"`, `"status":200`, `"attempt":1`} {
		if !strings.Contains(logged, want) {
			t.Errorf("the log lacks %s:\n%s", want, logged)
		}
	}
}
