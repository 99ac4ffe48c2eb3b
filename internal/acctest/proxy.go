package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Proxy is the AWS "edge" in front of moto: it forwards every call, implements statefully the
// operations moto lacks (handlers registered per service and action), counts calls per operation,
// and injects faults.
type Proxy struct {
	URL      string
	Upstream string

	srv      *http.Server
	forward  *httputil.ReverseProxy
	handlers map[string]handler // "service:Action"

	calls
	asg     *refreshes
	budget  *budgetsEdge
	backup  *backupEdge
	pricing *pricingEdge
	// observers see the region and form of query-protocol calls moto serves, after it answered 200.
	observers map[string]func(region string, form url.Values)
}

// handler serves one emulated operation from its form parameters (query protocol) or its raw body
// (JSON protocols).
type handler func(ctx context.Context, form url.Values, body []byte) (status int, out []byte)

// Fault makes matching calls fail (or slow down) before they reach moto.
type Fault struct {
	Service, Action string // "" matches any
	Contains        string // only requests whose body contains this (e.g. a service name)
	Times           int    // how many calls to affect
	Status          int    // HTTP status to answer with (0: forward after Delay)
	Code, Message   string
	Delay           time.Duration
	Reset           bool // drop the connection without an answer
	// LoseAnswer lets the call reach the service, then drops the connection before the answer
	// arrives: the client retries an operation that already happened.
	LoseAnswer bool
}

// StartProxy listens on a free loopback port and forwards to upstream.
func StartProxy(upstream string) (*Proxy, error) {
	l, forward, err := listenForwarding(upstream)
	if err != nil {
		return nil, err
	}
	p := &Proxy{URL: "http://" + l.Addr().String(), Upstream: upstream, forward: forward}
	p.asg = newRefreshes(upstream)
	p.budget = newBudgetsEdge(upstream)
	p.backup = newBackupEdge()
	p.pricing = &pricingEdge{}
	form := func(h func(context.Context, url.Values) (int, []byte)) handler {
		return func(ctx context.Context, f url.Values, _ []byte) (int, []byte) { return h(ctx, f) }
	}
	raw := func(h func(context.Context, []byte) (int, []byte)) handler {
		return func(ctx context.Context, _ url.Values, b []byte) (int, []byte) { return h(ctx, b) }
	}
	p.handlers = map[string]handler{
		"autoscaling:StartInstanceRefresh":           form(p.asg.start),
		"autoscaling:DescribeInstanceRefreshes":      form(p.asg.describe),
		"autoscaling:CancelInstanceRefresh":          form(p.asg.cancel),
		"autoscaling:RollbackInstanceRefresh":        form(p.asg.rollbackRefresh),
		"autoscaling:DescribeScalingActivities":      form(p.asg.activities),
		"budgets:CreateBudget":                       raw(p.budget.createBudget),
		"budgets:DeleteBudget":                       raw(p.budget.deleteBudget),
		"budgets:UpdateBudget":                       raw(p.budget.updateBudget),
		"budgets:DescribeNotificationsForBudget":     raw(p.budget.describeNotifications),
		"budgets:CreateNotification":                 raw(p.budget.createNotification),
		"budgets:DeleteNotification":                 raw(p.budget.deleteNotification),
		"budgets:UpdateNotification":                 raw(p.budget.updateNotification),
		"budgets:DescribeSubscribersForNotification": raw(p.budget.describeSubscribers),
		"budgets:CreateSubscriber":                   raw(p.budget.createSubscriber),
		"budgets:DeleteSubscriber":                   raw(p.budget.deleteSubscriber),
		"budgets:ListTagsForResource":                raw(p.budget.listTags),
		"budgets:TagResource":                        raw(p.budget.tagResource),
		"budgets:UntagResource":                      raw(p.budget.untagResource),
		"pricing:GetProducts":                        raw(p.pricing.getProducts),
	}
	p.observers = map[string]func(string, url.Values){}
	p.asg.observeGroups(p.observers)
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(l) }()
	return p, nil
}

// listenForwarding listens on a free loopback port and returns a reverse proxy to upstream.
func listenForwarding(upstream string) (net.Listener, *httputil.ReverseProxy, error) {
	u, err := url.Parse(upstream)
	if err != nil {
		return nil, nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	return l, httputil.NewSingleHostReverseProxy(u), nil
}

// Stop closes the listener.
func (p *Proxy) Stop() { _ = p.srv.Close() }

var (
	scopeRe  = regexp.MustCompile(`Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request`)
	regionRe = regexp.MustCompile(`Credential=[^/]+/\d{8}/([^/]+)/`)
)

func region(r *http.Request) string {
	if m := regionRe.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		return m[1]
	}
	return "us-east-1"
}

// BackupObjects counts the live backup plans, selections and restore testing plans the edge holds
// in every region.
func (p *Proxy) BackupObjects() (plans, selections, restorePlans int) { return p.backup.counts() }

// SeedRecoveryPoints makes a backup vault of a region hold n recovery points, as backup jobs would
// (moto runs none): DeleteBackupVault then refuses, as AWS does. n = 0 empties the vault again.
func (p *Proxy) SeedRecoveryPoints(region, vault string, n int) {
	p.backup.seedRecoveryPoints(region, vault, n)
}

// operation names the service and operation of a request: the signing scope gives the service, the
// Action form field (query protocol), X-Amz-Target (JSON) or the path (REST) the operation.
func operation(r *http.Request, body []byte) (service, action string, form url.Values) {
	if m := scopeRe.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		service = m[1]
	}
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		return service, t[strings.LastIndex(t, ".")+1:], nil
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, _ = url.ParseQuery(string(body))
		return service, form.Get("Action"), form
	}
	return service, r.Method + " " + r.URL.Path, nil
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	_ = r.Body.Close()
	service, action, form := operation(r, body)
	key := service + ":" + action
	fault := p.record(service, action, string(body))
	h := p.handlers[key]
	if fault != nil {
		time.Sleep(fault.Delay)
		if fault.Status != 0 {
			writeError(w, service, fault.Status, fault.Code, fault.Message)
			return
		}
	}
	if service == "backup" {
		if status, out, ok := p.backup.serve(r, region(r), body); ok {
			writeREST(w, status, out)
			return
		}
	}
	if h != nil {
		// An operation that reached the service completes even if the caller goes away (a client
		// killed mid-call), as on AWS: a cancelled context would leave it half done — a budget made
		// in moto without the tags the edge keeps for it.
		status, out := h(withRegion(context.WithoutCancel(r.Context()), region(r)), form, body)
		if service == "budgets" {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		} else {
			w.Header().Set("Content-Type", "text/xml")
		}
		w.WriteHeader(status)
		_, _ = w.Write(out)
		return
	}
	switch service {
	case "autoscaling", "ec2", "elasticloadbalancing":
		// What moto answers must reflect the instance refreshes' progress up to now.
		p.asg.settle(r.Context(), region(r))
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	if observe := p.observers[key]; observe != nil && form != nil {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		p.forward.ServeHTTP(rec, r)
		if rec.status == http.StatusOK {
			observe(region(r), form)
		}
		return
	}
	p.forward.ServeHTTP(w, r)
}

// FailNextRefresh makes the next instance refresh of group fail with reason (rolling back when the
// refresh asked for auto rollback).
func (p *Proxy) FailNextRefresh(group, reason string) { p.asg.failNext(group, reason) }

// FormatCounts renders counts one per line, sorted, for logs and the benchmark report.
func FormatCounts(c map[string]int) string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s %d\n", k, c[k])
	}
	return b.String()
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// writeError answers with an error in the service's own wire format (EC2 differs from the other
// query-protocol services; AWS Backup speaks REST-JSON).
func writeError(w http.ResponseWriter, service string, status int, code, msg string) {
	switch service {
	case "backup":
		_, body := restError(status, code, msg)
		writeREST(w, status, body)
		return
	case "budgets", "ssm", "pricing", "ce", "secretsmanager":
		// awsJson1_1: the code travels in X-Amzn-ErrorType and __type.
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-ErrorType", code)
		w.Header().Set("X-Amzn-RequestId", requestID())
		w.WriteHeader(status)
		b, _ := json.Marshal(map[string]string{"__type": code, "message": msg})
		_, _ = w.Write(b)
		return
	}
	if service == "ec2" {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>%s</RequestID></Response>`,
			xmlEscape(code), xmlEscape(msg), requestID())
		return
	}
	kind := "Sender"
	if status >= 500 {
		kind = "Receiver"
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
		kind, xmlEscape(code), xmlEscape(msg), requestID())
}

// writeREST answers a REST-JSON call; an error names its code in X-Amzn-Errortype, as AWS does.
func writeREST(w http.ResponseWriter, status int, body []byte) {
	if status >= 400 {
		var e struct{ Code string }
		_ = json.Unmarshal(body, &e)
		w.Header().Set("X-Amzn-Errortype", e.Code)
	}
	if len(body) > 0 {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
