package acctest

import (
	"testing"
	"time"
)

func TestLimits(t *testing.T) {
	l := &limits{rate: 2, burst: 3, buckets: map[string]*bucket{}}
	now := time.Unix(1000, 0)
	for i := 0; i < 3; i++ {
		if f := l.take("autoscaling", "DescribeAutoScalingGroups", now); f != nil {
			t.Fatalf("call %d within the burst refused: %+v", i, f)
		}
	}
	f := l.take("autoscaling", "DescribeAutoScalingGroups", now)
	if f == nil || f.Code != "Throttling" || f.Status != 400 {
		t.Fatalf("the call over the burst = %+v, want Auto Scaling's Throttling", f)
	}
	if f := l.take("ec2", "DescribeLaunchTemplates", now); f != nil {
		t.Fatalf("another action shares the bucket: %+v", f)
	}
	if f := l.take("autoscaling", "DescribeAutoScalingGroups", now.Add(500*time.Millisecond)); f != nil {
		t.Fatalf("half a second at 2/s refills one token, yet the call was refused")
	}
	if f := l.take("autoscaling", "DescribeAutoScalingGroups", now.Add(500*time.Millisecond)); f == nil {
		t.Fatal("the refilled token was spent twice")
	}
	if l.refused != 2 {
		t.Fatalf("refused = %d, want 2", l.refused)
	}
	for svc, code := range map[string]string{"ec2": "RequestLimitExceeded", "budgets": "ThrottlingException", "elasticloadbalancing": "Throttling"} {
		if got := throttlingFault(svc).Code; got != code {
			t.Errorf("%s throttles with %s, want %s", svc, got, code)
		}
	}
}
