package gcpfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/agents"
	"io"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/api/billingbudgets/v1"
	"google.golang.org/api/monitoring/v3"
)

// Billing is a strict, stateful fake of the Cloud Billing Budget API (v1: budgets of a billing
// account) and of Cloud Monitoring's notification channels and alert policies (v3), which budgets
// and token budgets notify through. Bodies are
// decoded with unknown fields refused and enums checked against the APIs' discovery documents;
// names are assigned by the fake, as the APIs do; a budget may only name channels that exist, a
// channel a budget notifies cannot be deleted without force, and a budget's currency must be its
// billing account's.
type Billing struct {
	agents                    agents.Log // the User-Agent headers served (UserAgents)
	budgetsDoc, monitoringDoc *discovery

	mu       sync.Mutex
	rnd      *rand.Rand
	url      string
	budgets  map[string]*billingbudgets.GoogleCloudBillingBudgetsV1Budget // by name
	channels map[string]*monitoring.NotificationChannel                   // by name
	policies map[string]*monitoring.AlertPolicy                           // by name
	calls    map[string]int
	failNext map[string]int
	currency map[string]string // billing account → currency (default USD)
}

// StartBilling serves a Billing fake for the test's lifetime.
func StartBilling(t testing.TB) *Billing {
	t.Helper()
	b, err := NewBilling()
	if err != nil {
		t.Fatalf("gcpfake: %v", err)
	}
	srv := httptest.NewServer(b)
	b.url = srv.URL
	t.Cleanup(srv.Close)
	return b
}

// NewBilling builds a Billing fake (serve it yourself; URL is then "").
func NewBilling() (*Billing, error) {
	bd, err := loadSiblingDiscovery("billingbudgets/v1/billingbudgets-api.json", "GoogleCloudBillingBudgetsV1Budget")
	if err != nil {
		return nil, err
	}
	md, err := loadSiblingDiscovery("monitoring/v3/monitoring-api.json", "NotificationChannel")
	if err != nil {
		return nil, err
	}
	return &Billing{budgetsDoc: bd, monitoringDoc: md, rnd: rand.New(rand.NewSource(1)), //nolint:gosec // ids, not secrets
		budgets: map[string]*billingbudgets.GoogleCloudBillingBudgetsV1Budget{}, channels: map[string]*monitoring.NotificationChannel{},
		policies: map[string]*monitoring.AlertPolicy{}, calls: map[string]int{}, failNext: map[string]int{}, currency: map[string]string{}}, nil
}

// ServeBilling serves a Billing fake on addr until the returned server is shut down (the local
// emulator's; tests use StartBilling).
func ServeBilling(addr string) (*Billing, *http.Server, error) {
	b, err := NewBilling()
	if err != nil {
		return nil, nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("gcpfake: listen %s: %w", addr, err)
	}
	b.url = "http://" + ln.Addr().String()
	srv := &http.Server{Handler: b, ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return b, srv, nil
}

// URL is the base URL for gcp.endpoints billingbudgets and monitoring.
func (b *Billing) URL() string { return b.url }

// SetCurrency sets a billing account's currency (USD unless set).
func (b *Billing) SetCurrency(account, currency string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.currency[account] = currency
}

// Calls counts requests by method ("budgets.create", "notificationChannels.delete" …).
func (b *Billing) Calls() map[string]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string]int{}
	for k, v := range b.calls {
		out[k] = v
	}
	return out
}

// Names lists every budget, channel and alert policy the fake holds, sorted.
func (b *Billing) Names() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for n := range b.budgets {
		out = append(out, n)
	}
	for n := range b.channels {
		out = append(out, n)
	}
	for n := range b.policies {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

var (
	accountRE     = regexp.MustCompile(`^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$`)
	budgetPathRE  = regexp.MustCompile(`^/v1/billingAccounts/([^/]+)/budgets(?:/([^/]+))?$`)
	channelPathRE = regexp.MustCompile(`^/v3/projects/([^/]+)/notificationChannels(?:/([^/]+))?$`)
	topicRE       = regexp.MustCompile(`^projects/[a-z][-a-z0-9]{4,28}[a-z0-9]/topics/[A-Za-z][-A-Za-z0-9_.~+%]{2,254}$`)
)

func (b *Billing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.agents.Record(r)
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		writeError(w, errorf(http.StatusUnauthorized, "required", "Request is missing required authentication credential."))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		writeError(w, invalidf("reading request body: %v", err))
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var res any
	switch m := budgetPathRE.FindStringSubmatch(r.URL.Path); {
	case m != nil:
		res, err = b.budgetCall(r, m[1], m[2], body)
	default:
		if m := channelPathRE.FindStringSubmatch(r.URL.Path); m != nil {
			res, err = b.channelCall(r, m[1], m[2], body)
		} else if m := alertPolicyPathRE.FindStringSubmatch(r.URL.Path); m != nil {
			res, err = b.alertPolicyCall(r, m[1], m[2], body)
		} else {
			err = errorf(http.StatusNotFound, reasonNotFound, "gcpfake: no such path %s", r.URL.Path)
		}
	}
	writeAny(w, res, err)
}

// decodeStrict decodes body into v refusing unknown fields, then checks enums and patterns
// against the schema.
func decodeStrict(d *discovery, schema string, body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalidf("Invalid JSON payload received. %v", err)
	}
	var raw any
	if err := json.Unmarshal(body, &raw); err != nil {
		return invalidf("Invalid JSON payload received. %v", err)
	}
	return d.validate(schema, raw, "budget")
}

func (b *Billing) newID() string {
	return fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", b.rnd.Uint32(), b.rnd.Intn(1<<16), b.rnd.Intn(1<<12), b.rnd.Intn(1<<12), b.rnd.Int63n(1<<48))
}

func (b *Billing) budgetCall(r *http.Request, account, id string, body []byte) (any, error) {
	if !accountRE.MatchString(account) {
		return nil, errorf(http.StatusNotFound, reasonNotFound, "billing account %s not found", account)
	}
	parent := "billingAccounts/" + account
	name := parent + "/budgets/" + id
	switch {
	case id == "" && r.Method == http.MethodPost:
		if err := b.count("budgets.create"); err != nil {
			return nil, err
		}
		v, err := b.decodeBudget(body)
		if err != nil {
			return nil, err
		}
		if err := b.checkBudget(account, v); err != nil {
			return nil, err
		}
		v.Name, v.Etag = parent+"/budgets/"+b.newID(), b.newID()
		b.budgets[v.Name] = v
		return budgetResponse(r, v)
	case id == "" && r.Method == http.MethodGet:
		if err := b.count("budgets.list"); err != nil {
			return nil, err
		}
		var out []*billingbudgets.GoogleCloudBillingBudgetsV1Budget
		for n, v := range b.budgets {
			if strings.HasPrefix(n, parent+"/") {
				out = append(out, v)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
		return budgetResponse(r, map[string]any{"budgets": out})
	case r.Method == http.MethodGet:
		if err := b.count("budgets.get"); err != nil {
			return nil, err
		}
		if v := b.budgets[name]; v != nil {
			return budgetResponse(r, v)
		}
	case r.Method == http.MethodDelete:
		if err := b.count("budgets.delete"); err != nil {
			return nil, err
		}
		if b.budgets[name] != nil {
			delete(b.budgets, name)
			return map[string]any{}, nil
		}
	case r.Method == http.MethodPatch:
		if err := b.count("budgets.patch"); err != nil {
			return nil, err
		}
		cur := b.budgets[name]
		if cur == nil {
			break
		}
		sent, err := b.decodeBudget(body)
		if err != nil {
			return nil, err
		}
		if sent.Etag != "" && sent.Etag != cur.Etag {
			return nil, errorf(http.StatusConflict, "aborted", "The budget was changed since it was read (etag %s, now %s).", sent.Etag, cur.Etag)
		}
		v, err := mergeBudget(cur, sent, r.URL.Query().Get("updateMask"))
		if err != nil {
			return nil, err
		}
		if err := b.checkBudget(account, v); err != nil {
			return nil, err
		}
		v.Name, v.Etag = name, b.newID()
		b.budgets[name] = v
		return budgetResponse(r, v)
	default:
		return nil, errorf(http.StatusMethodNotAllowed, reasonInvalid, "gcpfake: %s %s", r.Method, r.URL.Path)
	}
	return nil, notFound(name)
}

// checkBudget refuses what the Budget API refuses.
func (b *Billing) checkBudget(account string, v *billingbudgets.GoogleCloudBillingBudgetsV1Budget) error {
	if len(v.DisplayName) > 60 {
		return invalidField("budget.display_name", v.DisplayName, "The display name must be at most 60 characters.")
	}
	if v.Amount == nil || (v.Amount.SpecifiedAmount == nil) == (v.Amount.LastPeriodAmount == nil) {
		return invalidField("budget.amount", "", "Exactly one of specified_amount and last_period_amount must be set.")
	}
	want := b.currency[account]
	if want == "" {
		want = "USD"
	}
	if sa := v.Amount.SpecifiedAmount; sa != nil && sa.CurrencyCode != "" && sa.CurrencyCode != want {
		return invalidField("budget.amount.specified_amount.currency_code", sa.CurrencyCode, "The currency must be the billing account's ("+want+").")
	}
	if f := v.BudgetFilter; f != nil {
		if len(f.Labels) > 1 {
			return invalidField("budget.budget_filter.labels", len(f.Labels), "Only one label is supported.")
		}
		for k, vs := range f.Labels {
			if len(vs) != 1 {
				return invalidField("budget.budget_filter.labels["+k+"]", len(vs), "Exactly one value per label is supported.")
			}
		}
	}
	for i, t := range v.ThresholdRules {
		if t.ThresholdPercent <= 0 {
			return invalidField(fmt.Sprintf("budget.threshold_rules[%d].threshold_percent", i), t.ThresholdPercent, "Must be greater than 0.")
		}
	}
	if n := v.NotificationsRule; n != nil {
		if n.PubsubTopic != "" && !topicRE.MatchString(n.PubsubTopic) {
			return invalidField("budget.notifications_rule.pubsub_topic", n.PubsubTopic, "Must be projects/{project}/topics/{topic}.")
		}
		if n.PubsubTopic != "" && n.SchemaVersion != "1.0" {
			return invalidField("budget.notifications_rule.schema_version", n.SchemaVersion, "Must be 1.0 with a Pub/Sub topic.")
		}
		if len(n.MonitoringNotificationChannels) > 5 {
			return invalidField("budget.notifications_rule.monitoring_notification_channels", len(n.MonitoringNotificationChannels), "At most 5 channels.")
		}
		for _, c := range n.MonitoringNotificationChannels {
			if b.channels[c] == nil {
				return invalidField("budget.notifications_rule.monitoring_notification_channels", c, "The notification channel does not exist.")
			}
		}
	}
	return nil
}

func (b *Billing) channelCall(r *http.Request, project, id string, body []byte) (any, error) {
	parent := "projects/" + project
	name := parent + "/notificationChannels/" + id
	switch {
	case id == "" && r.Method == http.MethodPost:
		if err := b.count("notificationChannels.create"); err != nil {
			return nil, err
		}
		v := &monitoring.NotificationChannel{}
		if err := decodeStrict(b.monitoringDoc, "NotificationChannel", body, v); err != nil {
			return nil, err
		}
		if v.Type != "email" || !strings.Contains(v.Labels["email_address"], "@") {
			return nil, invalidField("notification_channel", v.Type, "An email channel needs type \"email\" and labels.email_address.")
		}
		v.Name = parent + "/notificationChannels/" + fmt.Sprint(b.rnd.Int63n(1<<53))
		b.channels[v.Name] = v
		return v, nil
	case id == "" && r.Method == http.MethodGet:
		if err := b.count("notificationChannels.list"); err != nil {
			return nil, err
		}
		var out []*monitoring.NotificationChannel
		for n, v := range b.channels {
			if strings.HasPrefix(n, parent+"/") {
				out = append(out, v)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
		return map[string]any{"notificationChannels": out}, nil
	case r.Method == http.MethodGet:
		if err := b.count("notificationChannels.get"); err != nil {
			return nil, err
		}
		if v := b.channels[name]; v != nil {
			return v, nil
		}
	case r.Method == http.MethodDelete:
		if err := b.count("notificationChannels.delete"); err != nil {
			return nil, err
		}
		if b.channels[name] == nil {
			break
		}
		for _, bg := range b.budgets {
			if n := bg.NotificationsRule; n != nil && r.URL.Query().Get("force") != "true" {
				for _, c := range n.MonitoringNotificationChannels {
					if c == name {
						return nil, errorf(http.StatusBadRequest, "failedPrecondition", "The notification channel %s is used by budget %s.", name, bg.Name)
					}
				}
			}
		}
		if by := b.policiesUsing(name); len(by) > 0 && r.URL.Query().Get("force") != "true" {
			return nil, errorf(http.StatusBadRequest, "failedPrecondition", "The notification channel %s is referenced by alerting policies %s.", name, strings.Join(by, ", "))
		}
		delete(b.channels, name)
		return map[string]any{}, nil
	default:
		return nil, errorf(http.StatusMethodNotAllowed, reasonInvalid, "gcpfake: %s %s", r.Method, r.URL.Path)
	}
	return nil, notFound(name)
}

// FailNext makes the next call of method ("alertPolicies.create" …) fail with code, before it
// changes anything: a failure half-way through what the provider does.
func (b *Billing) FailNext(method string, code int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failNext[method] = code
}

// count records a call of method and returns the failure FailNext set for it, once.
func (b *Billing) count(method string) error {
	b.calls[method]++
	if code, ok := b.failNext[method]; ok {
		delete(b.failNext, method)
		return errorf(code, reasonForCode(code), "gcpfake: injected failure of %s", method)
	}
	return nil
}
