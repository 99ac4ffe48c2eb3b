package aws

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	btypes "github.com/aws/aws-sdk-go-v2/service/budgets/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// BudgetAPI implements cloud.BudgetAPI with AWS Budgets (and a CloudWatch alarm for token budgets).
type BudgetAPI struct {
	region  string
	budgets *budgets.Client
	sts     *sts.Client
	cw      *cloudwatch.Client
	ssm     *ssm.Client

	once    sync.Once
	account string
	err     error
}

var _ cloud.BudgetAPI = (*BudgetAPI)(nil)

// NewBudgetAPI returns the AWS backend of dspy_budget.
func NewBudgetAPI(s *Session) *BudgetAPI {
	return &BudgetAPI{
		region: s.Config.Region,
		budgets: budgets.NewFromConfig(s.Config, func(o *budgets.Options) {
			if ep := s.Endpoint("budgets"); ep != nil {
				o.BaseEndpoint = ep
			}
		}),
		sts: sts.NewFromConfig(s.Config, func(o *sts.Options) {
			if ep := s.Endpoint("sts"); ep != nil {
				o.BaseEndpoint = ep
			}
		}),
		cw:  NewPolicyAPI(s).cw,
		ssm: newClients(s).ssm,
	}
}

// accountID is the account the budgets live in, asked of STS once.
func (a *BudgetAPI) accountID(ctx context.Context) (string, error) {
	a.once.Do(func() {
		out, err := a.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			a.err = fmt.Errorf("finding the account id (sts:GetCallerIdentity): %w", err)
			return
		}
		a.account = sdkaws.ToString(out.Account)
	})
	return a.account, a.err
}

func isBudgetNotFound(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "NotFoundException"
}

// Create makes the budget with its notifications and subscribers in one call, then the token alarm;
// if the alarm fails the budget is deleted again.
func (a *BudgetAPI) Create(ctx context.Context, b *spec.Budget) (*cloud.BudgetStatus, error) {
	account, err := a.accountID(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := a.budgets.CreateBudget(ctx, &budgets.CreateBudgetInput{
		AccountId: &account, Budget: BudgetDefinition(b), NotificationsWithSubscribers: Notifications(b),
	}); err != nil {
		return nil, fmt.Errorf("creating budget %s: %w", b.Name, err)
	}
	if err := a.putTokenAlarm(ctx, b); err != nil {
		_, _ = a.budgets.DeleteBudget(context.WithoutCancel(ctx), &budgets.DeleteBudgetInput{AccountId: &account, BudgetName: &b.Name})
		return nil, err
	}
	return a.Read(ctx, b.Name)
}

func (a *BudgetAPI) putTokenAlarm(ctx context.Context, b *spec.Budget) error {
	if b.TokenBudget == nil {
		return nil
	}
	in, err := TokenAlarm(b)
	if err != nil {
		return err
	}
	if _, err := a.cw.PutMetricAlarm(ctx, in); err != nil {
		return fmt.Errorf("putting the token budget alarm %s: %w", sdkaws.ToString(in.AlarmName), err)
	}
	// Hand the budget to the services: each reads its parameter at run time (the bootstrap sets
	// DSPY_TOKEN_BUDGET_PARAMETER) and can refuse work past it.
	for _, sid := range b.Scope.ServiceIDs {
		id, err := spec.ParseServiceID(sid)
		if err != nil {
			continue
		}
		name := bootstrap.TokenBudgetParameter(id.Name)
		if _, err := a.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: &name, Type: ssmtypes.ParameterTypeString, Overwrite: sdkaws.Bool(true),
			Value: sdkaws.String(strconv.FormatInt(b.TokenBudget.MonthlyTokens, 10)), Description: sdkaws.String("monthly LM token budget from dspy_budget " + b.Name)}); err != nil {
			return fmt.Errorf("handing the token budget to %s (%s): %w", id.Name, name, err)
		}
	}
	return nil
}

// dropTokenParameters removes the token budget parameters of the budget's services.
func (a *BudgetAPI) dropTokenParameters(ctx context.Context, b *spec.Budget) error {
	var names []string
	for _, sid := range b.Scope.ServiceIDs {
		if id, err := spec.ParseServiceID(sid); err == nil {
			names = append(names, bootstrap.TokenBudgetParameter(id.Name))
		}
	}
	if len(names) == 0 {
		return nil
	}
	if _, err := a.ssm.DeleteParameters(ctx, &ssm.DeleteParametersInput{Names: names}); err != nil {
		return fmt.Errorf("removing the token budget parameters %v: %w", names, err)
	}
	return nil
}

// Read returns the budget as AWS has it: the budget, its notifications and each one's subscribers,
// and the token alarm.
func (a *BudgetAPI) Read(ctx context.Context, name string) (*cloud.BudgetStatus, error) {
	account, err := a.accountID(ctx)
	if err != nil {
		return nil, err
	}
	out, err := a.budgets.DescribeBudget(ctx, &budgets.DescribeBudgetInput{AccountId: &account, BudgetName: &name})
	if isBudgetNotFound(err) {
		return nil, cloud.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("describing budget %s: %w", name, err)
	}
	bd := out.Budget
	b := &spec.Budget{Name: name, Cloud: spec.AWS, Period: PeriodOf(bd.TimeUnit)}
	if l := bd.BudgetLimit; l != nil {
		b.Amount, _ = strconv.ParseFloat(sdkaws.ToString(l.Amount), 64)
		b.Currency = sdkaws.ToString(l.Unit)
	}
	b.Scope = a.scopeOf(bd.FilterExpression)
	if len(b.Scope.ServiceIDs) > 0 {
		b.Cloud = ""
	}
	ns, err := a.budgets.DescribeNotificationsForBudget(ctx, &budgets.DescribeNotificationsForBudgetInput{AccountId: &account, BudgetName: &name})
	if err != nil {
		return nil, fmt.Errorf("describing the notifications of budget %s: %w", name, err)
	}
	for i := range ns.Notifications {
		n := ns.Notifications[i]
		subs, err := a.budgets.DescribeSubscribersForNotification(ctx, &budgets.DescribeSubscribersForNotificationInput{AccountId: &account, BudgetName: &name, Notification: &n})
		if err != nil {
			return nil, fmt.Errorf("describing the subscribers of budget %s: %w", name, err)
		}
		alert := spec.BudgetAlert{ThresholdPercent: n.Threshold, Kind: "actual"}
		if n.NotificationType == btypes.NotificationTypeForecasted {
			alert.Kind = "forecast"
		}
		for _, s := range subs.Subscribers {
			if s.SubscriptionType == btypes.SubscriptionTypeSns {
				alert.Topic = sdkaws.ToString(s.Address)
			} else {
				alert.Emails = append(alert.Emails, sdkaws.ToString(s.Address))
			}
		}
		b.Alerts = append(b.Alerts, alert)
	}
	sort.SliceStable(b.Alerts, func(i, j int) bool { return b.Alerts[i].ThresholdPercent < b.Alerts[j].ThresholdPercent })
	st := &cloud.BudgetStatus{Native: map[string]string{"budget": name, "account_id": account}, Budget: b}
	alarms, err := a.cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{TokenAlarmName(name)}})
	if err != nil {
		return nil, fmt.Errorf("describing the token alarm of budget %s: %w", name, err)
	}
	if len(alarms.MetricAlarms) == 1 {
		b.TokenBudget = ParseTokenAlarm(sdkaws.ToString(alarms.MetricAlarms[0].AlarmDescription))
		st.Native["token_alarm"] = TokenAlarmName(name)
	}
	return st, nil
}

// scopeOf reads the scope back from the filter: service names become ids in the API's region.
func (a *BudgetAPI) scopeOf(e *btypes.Expression) spec.BudgetScope {
	var scope spec.BudgetScope
	if e == nil {
		return scope
	}
	exprs := []btypes.Expression{*e}
	if len(e.And) > 0 {
		exprs = e.And
	}
	for _, x := range exprs {
		if x.Tags == nil {
			continue
		}
		key := strings.TrimPrefix(sdkaws.ToString(x.Tags.Key), CostTagPrefix)
		if key == TagService && len(exprs) == 1 {
			for _, v := range x.Tags.Values {
				scope.ServiceIDs = append(scope.ServiceIDs, spec.ServiceID{Cloud: spec.AWS, Scope: a.region, Name: v}.String())
			}
			continue
		}
		if len(x.Tags.Values) == 1 {
			if scope.Tags == nil {
				scope.Tags = map[string]string{}
			}
			scope.Tags[key] = x.Tags.Values[0]
		}
	}
	return scope
}

func alertKey(a spec.BudgetAlert) string { return fmt.Sprintf("%s|%g", a.Kind, a.ThresholdPercent) }

// Update changes only what changed: the budget itself (UpdateBudget), notifications added or removed,
// subscribers added or removed, and the token alarm.
func (a *BudgetAPI) Update(ctx context.Context, prior, b *spec.Budget) (*cloud.BudgetStatus, error) {
	account, err := a.accountID(ctx)
	if err != nil {
		return nil, err
	}
	if prior.Amount != b.Amount || prior.Currency != b.Currency || prior.Period != b.Period || fmt.Sprint(BudgetDefinition(prior).FilterExpression) != fmt.Sprint(BudgetDefinition(b).FilterExpression) {
		if _, err := a.budgets.UpdateBudget(ctx, &budgets.UpdateBudgetInput{AccountId: &account, NewBudget: BudgetDefinition(b)}); err != nil {
			return nil, fmt.Errorf("updating budget %s: %w", b.Name, err)
		}
	}
	// Alerts are matched by kind and threshold. An alert whose threshold or kind changed is paired, in
	// order, with one that went away and changed in place (UpdateNotification, keeping its recipients);
	// the rest are created or deleted.
	before, after := map[string]spec.BudgetAlert{}, map[string]bool{}
	for _, al := range prior.Alerts {
		before[alertKey(al)] = al
	}
	for _, al := range b.Alerts {
		after[alertKey(al)] = true
	}
	var gone []spec.BudgetAlert
	for _, al := range prior.Alerts {
		if !after[alertKey(al)] {
			gone = append(gone, al)
		}
	}
	for _, al := range b.Alerts {
		old, kept := before[alertKey(al)]
		switch {
		case kept:
		case len(gone) > 0:
			old, gone = gone[0], gone[1:]
			if _, err := a.budgets.UpdateNotification(ctx, &budgets.UpdateNotificationInput{AccountId: &account, BudgetName: &b.Name,
				OldNotification: NotificationOf(old), NewNotification: NotificationOf(al)}); err != nil {
				return nil, fmt.Errorf("updating a notification of budget %s: %w", b.Name, err)
			}
		default:
			if _, err := a.budgets.CreateNotification(ctx, &budgets.CreateNotificationInput{AccountId: &account, BudgetName: &b.Name, Notification: NotificationOf(al), Subscribers: SubscribersOf(al)}); err != nil {
				return nil, fmt.Errorf("creating a notification of budget %s: %w", b.Name, err)
			}
			continue
		}
		if err := a.syncSubscribers(ctx, account, b.Name, al, SubscribersOf(old), SubscribersOf(al)); err != nil {
			return nil, err
		}
	}
	for _, al := range gone {
		if _, err := a.budgets.DeleteNotification(ctx, &budgets.DeleteNotificationInput{AccountId: &account, BudgetName: &b.Name, Notification: NotificationOf(al)}); err != nil && !isBudgetNotFound(err) {
			return nil, fmt.Errorf("deleting a notification of budget %s: %w", b.Name, err)
		}
	}
	if b.TokenBudget != nil {
		if err := a.putTokenAlarm(ctx, b); err != nil {
			return nil, err
		}
	} else if prior.TokenBudget != nil {
		if _, err := a.cw.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{TokenAlarmName(b.Name)}}); err != nil {
			return nil, fmt.Errorf("deleting the token alarm of budget %s: %w", b.Name, err)
		}
		if err := a.dropTokenParameters(ctx, prior); err != nil {
			return nil, err
		}
	}
	return a.Read(ctx, b.Name)
}

func (a *BudgetAPI) syncSubscribers(ctx context.Context, account, name string, al spec.BudgetAlert, before, after []btypes.Subscriber) error {
	key := func(s btypes.Subscriber) string { return string(s.SubscriptionType) + "|" + sdkaws.ToString(s.Address) }
	had, want := map[string]btypes.Subscriber{}, map[string]btypes.Subscriber{}
	for _, s := range before {
		had[key(s)] = s
	}
	for _, s := range after {
		want[key(s)] = s
	}
	for k, s := range want {
		if _, ok := had[k]; !ok {
			s := s
			if _, err := a.budgets.CreateSubscriber(ctx, &budgets.CreateSubscriberInput{AccountId: &account, BudgetName: &name, Notification: NotificationOf(al), Subscriber: &s}); err != nil {
				return fmt.Errorf("adding %s to budget %s: %w", sdkaws.ToString(s.Address), name, err)
			}
		}
	}
	for k, s := range had {
		if _, ok := want[k]; !ok {
			s := s
			if _, err := a.budgets.DeleteSubscriber(ctx, &budgets.DeleteSubscriberInput{AccountId: &account, BudgetName: &name, Notification: NotificationOf(al), Subscriber: &s}); err != nil {
				return fmt.Errorf("removing %s from budget %s: %w", sdkaws.ToString(s.Address), name, err)
			}
		}
	}
	return nil
}

// Delete removes the budget (with its notifications), the token alarm and the token parameters of
// the services it names.
func (a *BudgetAPI) Delete(ctx context.Context, name string, services []string) error {
	account, err := a.accountID(ctx)
	if err != nil {
		return err
	}
	if _, err := a.budgets.DeleteBudget(ctx, &budgets.DeleteBudgetInput{AccountId: &account, BudgetName: &name}); err != nil && !isBudgetNotFound(err) {
		return fmt.Errorf("deleting budget %s: %w", name, err)
	}
	if _, err := a.cw.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{TokenAlarmName(name)}}); err != nil {
		return fmt.Errorf("deleting the token alarm of budget %s: %w", name, err)
	}
	return a.dropTokenParameters(ctx, &spec.Budget{Scope: spec.BudgetScope{ServiceIDs: services}})
}
