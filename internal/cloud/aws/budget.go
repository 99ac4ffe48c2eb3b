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
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// BudgetAPI implements cloud.BudgetAPI with AWS Budgets (and, for token budgets, a CloudWatch alarm
// and SSM parameters in the services' region).
type BudgetAPI struct {
	sess    *Session
	region  string
	budgets *budgets.Client
	sts     *sts.Client

	mu      sync.Mutex
	regions map[string]regionClients

	once      sync.Once
	account   string
	partition string // of the account's ARNs: aws, aws-cn, aws-us-gov
	err       error
}

var _ cloud.BudgetAPI = (*BudgetAPI)(nil)

// NewBudgetAPI returns the AWS backend of dspy_budget.
func NewBudgetAPI(s *Session) *BudgetAPI {
	return &BudgetAPI{
		sess:   s,
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
		regions: map[string]regionClients{},
	}
}

// accountID is the account the budgets live in (and its partition), asked of STS once.
func (a *BudgetAPI) accountID(ctx context.Context) (string, error) {
	a.once.Do(func() {
		out, err := a.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			a.err = fmt.Errorf("finding the account id (sts:GetCallerIdentity): %w", err)
			return
		}
		a.account = sdkaws.ToString(out.Account)
		a.partition = "aws"
		if parts := strings.SplitN(sdkaws.ToString(out.Arn), ":", 3); len(parts) == 3 && parts[0] == "arn" && parts[1] != "" {
			a.partition = parts[1]
		}
	})
	return a.account, a.err
}

func isBudgetNotFound(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "NotFoundException"
}

// Create makes the budget, tagged with owner, with its notifications and subscribers in one call,
// then hands the token budget to the services and puts its alarm. If a step fails, what the earlier
// ones made is removed again before the error is returned. A budget of the name already there is
// deleted and made again only if it carries owner (see reclaim).
func (a *BudgetAPI) Create(ctx context.Context, b *spec.Budget, owner string) (*cloud.BudgetStatus, error) {
	account, err := a.accountID(ctx)
	if err != nil {
		return nil, err
	}
	var alarm *cloudwatch.PutMetricAlarmInput
	if b.TokenBudget != nil {
		if alarm, err = TokenAlarm(b); err != nil {
			return nil, err
		}
	}
	in := &budgets.CreateBudgetInput{AccountId: &account, Budget: BudgetDefinition(b), NotificationsWithSubscribers: Notifications(b), ResourceTags: ownerTags(owner)}
	_, err = a.budgets.CreateBudget(ctx, in)
	if errorCode(err) == "DuplicateRecordException" {
		// Nothing is undone: the budget there is either another's, untouched, or removed by reclaim.
		if err := a.reclaim(ctx, b, owner); err != nil {
			return nil, err
		}
		_, err = a.budgets.CreateBudget(ctx, in)
	}
	if err != nil {
		return nil, fmt.Errorf("creating budget %s: %w", b.Name, err)
	}
	var undo cloud.Undo
	undo.Push("budget "+b.Name, func(ctx context.Context) error {
		_, err := a.budgets.DeleteBudget(ctx, &budgets.DeleteBudgetInput{AccountId: &account, BudgetName: &b.Name})
		if isBudgetNotFound(err) {
			return nil
		}
		return err
	})
	if alarm != nil {
		if err := a.putTokenParameters(ctx, b, &undo); err != nil {
			return nil, undo.Fail(ctx, err)
		}
		if err := a.putTokenAlarm(ctx, b, alarm, &undo); err != nil {
			return nil, undo.Fail(ctx, err)
		}
	}
	st, err := a.Read(ctx, ownedRef(b, owner))
	if err != nil {
		return nil, undo.Fail(ctx, err)
	}
	return st, nil
}

// Read returns the budget as AWS has it: its owner token, the budget, its notifications and each
// one's subscribers, and the token budget (the alarm and the services' parameters). A budget deleted
// out of band whose token alarm or parameters remain is reported without its Budget, so that it stays
// in the state and its remains are removed or repaired. A budget of the name that is another owner's
// is not this resource's: ErrNotFound, and neither it nor what its name finds is reported.
func (a *BudgetAPI) Read(ctx context.Context, ref cloud.BudgetRef) (*cloud.BudgetStatus, error) {
	name, services, owner := ref.Name, ref.Services, ref.Owner()
	account, err := a.accountID(ctx)
	if err != nil {
		return nil, err
	}
	tag, exists, err := a.budgetOwner(ctx, name)
	if err != nil {
		return nil, err
	}
	if exists && owner != "" && tag != owner {
		tflog.Warn(ctx, "the budget of this name carries another owner token: it is not this resource's", map[string]any{"budget": name, "owner": tag})
		return nil, cloud.ErrNotFound
	}
	var b *spec.Budget
	if exists {
		if b, err = a.describe(ctx, account, name); err != nil {
			return nil, err
		}
	}
	if services == nil && b != nil {
		services = b.Scope.ServiceIDs
	}
	tokens, err := a.readTokens(ctx, name, services)
	if err != nil {
		return nil, err
	}
	if b == nil && !tokens.alarm && tokens.parameters == 0 {
		return nil, cloud.ErrNotFound
	}
	st := &cloud.BudgetStatus{Native: map[string]string{"account_id": account}, Budget: b}
	if b != nil {
		st.Native["budget"] = name
		b.TokenBudget = tokens.budget
		owner = tag
	}
	// A budget deleted out of band keeps the state's token, which Update tags the budget it makes with.
	if owner != "" {
		st.Native[cloud.NativeOwner] = owner
	}
	if tokens.alarm {
		st.Native["token_alarm"] = TokenAlarmName(name)
	}
	return st, nil
}

// describe reads the budget, its notifications and their subscribers; nil when there is no budget.
func (a *BudgetAPI) describe(ctx context.Context, account, name string) (*spec.Budget, error) {
	out, err := a.budgets.DescribeBudget(ctx, &budgets.DescribeBudgetInput{AccountId: &account, BudgetName: &name})
	if isBudgetNotFound(err) {
		return nil, nil
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
	b.Scope = ScopeOf(bd.FilterExpression, a.region)
	if len(b.Scope.ServiceIDs) > 0 {
		b.Cloud = ""
	}
	ns, err := a.budgets.DescribeNotificationsForBudget(ctx, &budgets.DescribeNotificationsForBudgetInput{AccountId: &account, BudgetName: &name})
	if isBudgetNotFound(err) {
		return nil, nil
	}
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
	return b, nil
}

// Delete removes the budget (with its notifications), the token alarm and the token parameters
// this budget owns among the services it names (also those earlier versions misplaced in the
// session's region); what is already gone is no error. When the budget of the name is another
// owner's, nothing is deleted: a NotOwnedError.
func (a *BudgetAPI) Delete(ctx context.Context, ref cloud.BudgetRef) error {
	name, services, owner := ref.Name, ref.Services, ref.Owner()
	account, err := a.accountID(ctx)
	if err != nil {
		return err
	}
	if owner != "" {
		tag, exists, err := a.budgetOwner(ctx, name)
		if err != nil {
			return err
		}
		if exists && tag != owner {
			return &cloud.NotOwnedError{Object: fmt.Sprintf("The AWS Budgets budget %s (account %s)", name, account)}
		}
	}
	if _, err := a.budgets.DeleteBudget(ctx, &budgets.DeleteBudgetInput{AccountId: &account, BudgetName: &name}); err != nil && !isBudgetNotFound(err) {
		return fmt.Errorf("deleting budget %s: %w", name, err)
	}
	if err := a.dropTokenAlarm(ctx, name, a.tokenRegion(services)); err != nil {
		return err
	}
	if err := a.dropMisplaced(ctx, name, services); err != nil {
		return err
	}
	return a.dropTokenParameters(ctx, name, services)
}
