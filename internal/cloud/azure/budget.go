package azure

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/consumption/armconsumption"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// BudgetAPI implements cloud.BudgetAPI with a Consumption budget on the subscription, its action
// group and, for a token budget, a metric alert and the TagTokenBudget tags (see translate_budget.go
// for how ownership is proven without tags on the budget).
type BudgetAPI struct {
	sub     string
	budgets *armconsumption.BudgetsClient
	groups  *armmonitor.ActionGroupsClient
	alerts  *armmonitor.MetricAlertsClient
	tags    *armresources.TagsClient
	compute *Clients
	now     func() time.Time
}

var _ cloud.BudgetAPI = (*BudgetAPI)(nil)

// Native map keys of an Azure budget.
const (
	nativeActionGroup = "action_group"
	nativeStartDate   = "start_date"
	nativeTokenAlert  = "token_alarm"
)

// NewBudgetAPI builds the Azure backend of dspy_budget on sess.
func NewBudgetAPI(sess *Session) (*BudgetAPI, error) {
	opts := sess.armOptions()
	a := &BudgetAPI{sub: sess.SubscriptionID, now: time.Now}
	var errs []error
	var err error
	a.budgets, err = armconsumption.NewBudgetsClient(sess.Credential, opts)
	errs = append(errs, err)
	a.groups, err = armmonitor.NewActionGroupsClient(sess.SubscriptionID, sess.Credential, opts)
	errs = append(errs, err)
	a.alerts, err = armmonitor.NewMetricAlertsClient(sess.SubscriptionID, sess.Credential, opts)
	errs = append(errs, err)
	a.tags, err = armresources.NewTagsClient(sess.SubscriptionID, sess.Credential, opts)
	errs = append(errs, err)
	a.compute, err = NewClients(sess)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("building the Azure budget clients: %w", err)
	}
	return a, nil
}

// home is where a budget's action group lives: its first service's resource group.
func home(services []string) (group string, ok bool) {
	for _, s := range services {
		if id, err := spec.ParseServiceID(s); err == nil && id.Cloud == spec.Azure {
			return id.Scope, true
		}
	}
	return "", false
}

// found is the budget of a name, with what proves whose it is.
type found struct {
	budget *armconsumption.Budget
	group  *armmonitor.ActionGroupResource // its action group, nil when it names none that exists
	owner  string                          // the group's owner token ("" when not provable)
}

// find reads the subscription's budget of name and the action group it names; nil when there is
// no budget.
func (a *BudgetAPI) find(ctx context.Context, name string) (*found, error) {
	got, err := a.budgets.Get(ctx, SubscriptionScope(a.sub), name, nil)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading budget %s of subscription %s: %w", name, a.sub, err)
	}
	f := &found{budget: &got.Budget}
	if id := namedGroup(f.budget, name); id != "" {
		group, rg := parseGroupID(id)
		g, err := a.ownedGroup(ctx, rg, group, name)
		if err != nil {
			return nil, err
		}
		if g != nil {
			f.group, f.owner = g, tagValue(g.Tags, TagOwner)
		}
	}
	return f, nil
}

// namedGroup is the id of the action group named after the budget among its notifications'
// contact groups ("" when none is).
func namedGroup(b *armconsumption.Budget, name string) string {
	if b.Properties == nil {
		return ""
	}
	for _, n := range b.Properties.Notifications {
		for _, g := range n.ContactGroups {
			if g != nil && strings.EqualFold(g2name(*g), ActionGroupName(name)) {
				return *g
			}
		}
	}
	return ""
}

func g2name(id string) string { return id[strings.LastIndexByte(id, '/')+1:] }

// parseGroupID is an action group id's name and resource group.
func parseGroupID(id string) (name, group string) {
	parts := strings.Split(id, "/")
	for i := 0; i+1 < len(parts); i++ {
		if strings.EqualFold(parts[i], "resourceGroups") {
			group = parts[i+1]
		}
	}
	return g2name(id), group
}

// ownedGroup is the action group of the name in group if it is the budget's (it carries TagBudget
// = budget); nil when there is none or it is not.
func (a *BudgetAPI) ownedGroup(ctx context.Context, group, name, budget string) (*armmonitor.ActionGroupResource, error) {
	got, err := a.groups.Get(ctx, group, name, nil)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading action group %s in %s: %w", name, group, err)
	}
	if tagValue(got.Tags, TagBudget) != budget {
		return nil, nil
	}
	return &got.ActionGroupResource, nil
}

func tagValue(tags map[string]*string, k string) string {
	if v := tags[k]; v != nil {
		return *v
	}
	return ""
}

func (a *BudgetAPI) nameTaken(name string) *cloud.NameTakenError {
	return &cloud.NameTakenError{Attribute: "name", Name: name, Object: fmt.Sprintf("the Consumption budget %q of subscription %s", name, a.sub),
		ImportID: string(spec.Azure) + "/" + name}
}

// Create makes the action group, the budget and, with a token budget, the metric alert and the
// scale set's and machines' token tags, undoing what it made when a step fails. A budget of the
// name that this owner's action group proves is an interrupted create's is deleted first; any other
// is a NameTakenError.
func (a *BudgetAPI) Create(ctx context.Context, b *spec.Budget, owner string) (*cloud.BudgetStatus, error) {
	if err := BudgetProblems(b).Err(); err != nil {
		return nil, err
	}
	rg, ok := home(b.Scope.ServiceIDs)
	if !ok {
		return nil, errors.New("an Azure budget needs an Azure service in scope.service_ids")
	}
	f, err := a.find(ctx, b.Name)
	if err != nil {
		return nil, err
	}
	if f != nil && (owner == "" || f.owner != owner) {
		return nil, a.nameTaken(b.Name)
	}
	ref := cloud.BudgetRef{Name: b.Name, Native: map[string]string{cloud.NativeOwner: owner}, Services: b.Scope.ServiceIDs}
	if err := a.deleteAll(ctx, ref, f); err != nil {
		return nil, err
	}
	if f != nil {
		tflog.Warn(ctx, "deleted the budget of an interrupted create of this budget", map[string]any{"budget": b.Name})
	}
	var undo cloud.Undo
	group, err := a.putGroup(ctx, rg, b, owner, &undo)
	if err != nil {
		return nil, undo.Fail(ctx, err)
	}
	start := MonthStart(a.now())
	if err := a.putBudget(ctx, b, group, start, nil); err != nil {
		return nil, undo.Fail(ctx, err)
	}
	undo.Push("budget "+b.Name, func(ctx context.Context) error { return a.deleteBudget(ctx, b.Name) })
	if b.TokenBudget != nil {
		if err := a.putAlert(ctx, b, owner, group, &undo); err != nil {
			return nil, undo.Fail(ctx, err)
		}
		if err := a.handTokens(ctx, b.Scope.ServiceIDs, b.TokenBudget.MonthlyTokens, &undo); err != nil {
			return nil, undo.Fail(ctx, err)
		}
	}
	ref.Native[nativeActionGroup] = group
	st, err := a.Read(ctx, ref)
	if err != nil {
		return nil, undo.Fail(ctx, err)
	}
	return st, nil
}

// putGroup makes or replaces the budget's action group in rg and returns its id. One of the name
// that another budget or owner holds is a NameTakenError.
func (a *BudgetAPI) putGroup(ctx context.Context, rg string, b *spec.Budget, owner string, undo *cloud.Undo) (string, error) {
	name := ActionGroupName(b.Name)
	have, err := a.groups.Get(ctx, rg, name, nil)
	existed := err == nil
	switch {
	case existed && (tagValue(have.Tags, TagBudget) != b.Name || (owner != "" && tagValue(have.Tags, TagOwner) != owner)):
		return "", &cloud.NameTakenError{Attribute: "name", Name: b.Name, Object: fmt.Sprintf("the action group %q in resource group %s", name, rg)}
	case err != nil && !isNotFound(err):
		return "", fmt.Errorf("reading action group %s in %s: %w", name, rg, err)
	}
	g, err := ActionGroupFor(b, owner)
	if err != nil {
		return "", err
	}
	made, err := a.groups.CreateOrUpdate(ctx, rg, name, *g, nil)
	if err != nil {
		return "", fmt.Errorf("creating action group %s in %s: %w", name, rg, err)
	}
	if !existed {
		undo.Push("action group "+name, func(ctx context.Context) error { return a.deleteGroup(ctx, rg, name) })
	}
	return *made.ID, nil
}

// putBudget makes the budget, or replaces prior (with its eTag, so a change made meanwhile is not
// overwritten).
func (a *BudgetAPI) putBudget(ctx context.Context, b *spec.Budget, group string, start time.Time, prior *armconsumption.Budget) error {
	bd, err := BudgetFor(b, group, start)
	if err != nil {
		return err
	}
	if prior != nil {
		bd.ETag = prior.ETag
	}
	if _, err := a.budgets.CreateOrUpdate(ctx, SubscriptionScope(a.sub), b.Name, *bd, nil); err != nil {
		return fmt.Errorf("writing budget %s of subscription %s: %w", b.Name, a.sub, err)
	}
	return nil
}

func (a *BudgetAPI) deleteBudget(ctx context.Context, name string) error {
	if _, err := a.budgets.Delete(ctx, SubscriptionScope(a.sub), name, nil); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting budget %s: %w", name, err)
	}
	return nil
}

func (a *BudgetAPI) deleteGroup(ctx context.Context, rg, name string) error {
	if _, err := a.groups.Delete(ctx, rg, name, nil); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting action group %s in %s: %w", name, rg, err)
	}
	return nil
}
