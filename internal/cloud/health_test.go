package cloud

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestAssess(t *testing.T) {
	t.Parallel()
	ok := &Probe{URL: "u", StatusCode: 200, ExpectStatus: 200}
	cases := []struct {
		name   string
		h      ServiceHealth
		probe  *Probe
		status string
		reason string
	}{
		{"all good", ServiceHealth{Desired: 3, InService: 3, Healthy: 3, Targets: true, TargetsHealthy: 3, TargetsTotal: 3}, ok, Healthy, ""},
		{"short", ServiceHealth{Desired: 3, InService: 2, Healthy: 2}, nil, Degraded, "2 of 3 desired instances healthy"},
		{"none", ServiceHealth{Desired: 3}, nil, Unhealthy, "no healthy instance"},
		{"unhealthy instance", ServiceHealth{Desired: 2, Healthy: 2, Unhealthy: 1}, nil, Degraded, "1 instances unhealthy"},
		{"targets down", ServiceHealth{Desired: 2, Healthy: 2, Targets: true, TargetsTotal: 2}, nil, Unhealthy, "no healthy target"},
		{"rollout", ServiceHealth{Desired: 1, Healthy: 1, RolloutStatus: RolloutInProgress}, nil, Degraded, "rollout is in progress"},
		{"rolled back", ServiceHealth{Desired: 1, Healthy: 1, RolloutStatus: RolloutRolledBack}, nil, Degraded, "was rolled back"},
		{"probe 500", ServiceHealth{Desired: 1, Healthy: 1}, &Probe{URL: "u", StatusCode: 500, ExpectStatus: 200}, Unhealthy, "answered 500, expected 200"},
		{"probe refused", ServiceHealth{Desired: 1, Healthy: 1}, &Probe{URL: "u", Err: "connection refused", ExpectStatus: 200}, Unhealthy, "connection refused"},
		{"degraded then unhealthy stays unhealthy", ServiceHealth{Desired: 2, Healthy: 1}, &Probe{URL: "u", Err: "x", ExpectStatus: 200}, Unhealthy, "1 of 2"},
	}
	for _, tc := range cases {
		status, reasons := Assess(&tc.h, tc.probe)
		if status != tc.status {
			t.Errorf("%s: status %s, want %s (%v)", tc.name, status, tc.status, reasons)
		}
		if tc.reason == "" && len(reasons) != 0 || tc.reason != "" && !strings.Contains(strings.Join(reasons, "; "), tc.reason) {
			t.Errorf("%s: reasons %v, want %q", tc.name, reasons, tc.reason)
		}
	}
}

func TestRunProbe(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/health":
			w.WriteHeader(http.StatusOK)
		case "/slow":
			time.Sleep(2 * time.Second)
		default:
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	if p := RunProbe(ctx, srv.URL+"/health", time.Second, 200); !p.OK() || p.StatusCode != 200 || p.LatencyMS < 0 {
		t.Errorf("healthy probe = %+v", p)
	}
	if p := RunProbe(ctx, srv.URL+"/down", time.Second, 200); p.OK() || p.StatusCode != 503 {
		t.Errorf("503 probe = %+v", p)
	}
	if p := RunProbe(ctx, srv.URL+"/slow", 200*time.Millisecond, 200); p.OK() || !strings.Contains(p.Err, "no response within 200ms") || p.StatusCode != 0 {
		t.Errorf("timeout probe = %+v", p)
	}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	_ = l.Close()
	if p := RunProbe(ctx, "http://"+addr+"/health", time.Second, 200); p.OK() || !strings.Contains(p.Err, "connection refused") {
		t.Errorf("refused probe = %+v", p)
	}
}
