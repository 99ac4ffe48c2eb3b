package azurefake

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/consumption/armconsumption"
)

// Consumption budgets (Microsoft.Consumption/budgets, api-version 2021-10-01 as the SDK sends, and
// the later ones), at subscription or resource group scope, as the Budgets REST reference
// describes them: PUT is synchronous and refuses what the service refuses (see checkBudget), an
// eTag sent with an update must be the current one (the reference's concurrency control; sending
// none overwrites), every write gets a new eTag, and GET adds the output-only currentSpend.
// Budgets carry no tags. Deleting a missing budget is a 404.

const consumptionModule = "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/consumption/armconsumption"

var budgetNameRE = regexp.MustCompile(`^[-_a-zA-Z0-9]{1,63}$`)

// Limits of a budget from the REST reference.
const (
	maxBudgetNotifications = 5
	maxBudgetThreshold     = 1000
	maxBudgetContacts      = 50
	maxNotificationKey     = 128
)

// earliestBudgetStart is the first start date Azure budgets accept.
var earliestBudgetStart = time.Date(2017, time.June, 1, 0, 0, 0, 0, time.UTC)

func init() {
	register(newBudgetKind(false))
	register(newBudgetKind(true))
}

// newBudgetKind is the budgets type at resource group or subscription scope.
func newBudgetKind(subscription bool) *kind {
	return &kind{
		subscriptionScope: subscription,
		typeName:          "Microsoft.Consumption/budgets", apiVersions: []string{"2021-10-01", "2023-03-01", "2023-05-01", "2023-11-01", "2024-08-01"},
		newModel: func() any { return &armconsumption.Budget{} }, modelName: "Budget", enumModule: consumptionModule,
		syncDelete: true, missingDelete: http.StatusNotFound,
		nameRule: func(name string) *armError {
			if !budgetNameRE.MatchString(name) {
				return errorf(http.StatusBadRequest, "InvalidBudgetName", "The budget name '%s' is invalid: 1 to 63 letters, digits, hyphens and underscores.", name)
			}
			return nil
		},
		validate: func(f *Fake, rq *request, model any, old *object) *armError {
			return f.checkBudget(rq, model.(*armconsumption.Budget), old)
		},
		settled: func(f *Fake, o *object, _ time.Time) {
			o.model.(*armconsumption.Budget).ETag = ptr(fmt.Sprintf("\"%x\"", f.rnd.Uint64()))
		},
		render: func(_ *Fake, _ *object, m map[string]any, _ time.Time) {
			props := m["properties"].(map[string]any)
			delete(props, "provisioningState") // a budget has none
			props["currentSpend"] = map[string]any{"amount": 0, "unit": "USD"}
		},
	}
}

// checkBudget refuses what the Consumption resource provider refuses of a budget.
func (f *Fake) checkBudget(rq *request, b *armconsumption.Budget, old *object) *armError {
	if old != nil && b.ETag != nil {
		if cur := old.model.(*armconsumption.Budget).ETag; cur != nil && *cur != *b.ETag {
			return errorf(http.StatusPreconditionFailed, "PreconditionFailed",
				"The eTag %s of the request does not match the budget's current eTag: the budget was changed since it was read. Get it again and retry.", *b.ETag)
		}
	}
	p := b.Properties
	switch {
	case p == nil:
		return invalidParameter("properties", "The properties of a budget are required.")
	case p.Category == nil:
		return invalidParameter("properties.category", "The category is required (Cost).")
	case p.Amount == nil || *p.Amount <= 0:
		return invalidParameter("properties.amount", "The amount is required and must be above 0.")
	case p.TimeGrain == nil:
		return invalidParameter("properties.timeGrain", "The time grain is required.")
	case p.TimePeriod == nil || p.TimePeriod.StartDate == nil:
		return invalidParameter("properties.timePeriod.startDate", "The start date is required.")
	}
	start := p.TimePeriod.StartDate.UTC()
	switch {
	case start.Day() != 1 || start.Hour() != 0 || start.Minute() != 0 || start.Second() != 0:
		return invalidParameter("properties.timePeriod.startDate", "The start date %s must be the first day of a month.", start.Format(time.RFC3339))
	case start.Before(earliestBudgetStart):
		return invalidParameter("properties.timePeriod.startDate", "The start date must be on or after June 1, 2017.")
	case start.After(rq.now.AddDate(1, 0, 0)):
		return invalidParameter("properties.timePeriod.startDate", "A future start date must be within twelve months.")
	case p.TimePeriod.EndDate != nil && !p.TimePeriod.EndDate.After(start):
		return invalidParameter("properties.timePeriod.endDate", "The end date must be after the start date.")
	}
	if old != nil {
		if op := old.model.(*armconsumption.Budget).Properties.TimePeriod; !op.StartDate.Equal(*p.TimePeriod.StartDate) {
			return invalidParameter("properties.timePeriod.startDate", "The start date of an existing budget cannot be changed (it is %s).", op.StartDate.UTC().Format(time.DateOnly))
		}
	}
	if e := checkBudgetFilter(p.Filter); e != nil {
		return e
	}
	if len(p.Notifications) > maxBudgetNotifications {
		return invalidParameter("properties.notifications", "A budget has at most %d notifications; %d were given.", maxBudgetNotifications, len(p.Notifications))
	}
	for key, n := range p.Notifications {
		if e := f.checkNotification(key, n); e != nil {
			return e
		}
	}
	return nil
}

func checkBudgetFilter(flt *armconsumption.BudgetFilter) *armError {
	if flt == nil {
		return nil
	}
	exprs := []*armconsumption.BudgetComparisonExpression{flt.Tags, flt.Dimensions}
	for _, a := range flt.And {
		exprs = append(exprs, a.Tags, a.Dimensions)
	}
	for _, e := range exprs {
		if e == nil {
			continue
		}
		if e.Name == nil || *e.Name == "" || e.Operator == nil || len(e.Values) == 0 {
			return invalidParameter("properties.filter", "A filter expression needs a name, an operator and at least one value.")
		}
	}
	return nil
}

// checkNotification refuses a notification as the reference does: enabled, operator, threshold
// (above 0, at most 1000 percent) and contactEmails are required, and at subscription or resource
// group scope at least one contact email or contact group (an action group that exists).
func (f *Fake) checkNotification(key string, n *armconsumption.Notification) *armError {
	at := "properties.notifications." + key
	switch {
	case key == "" || len(key) > maxNotificationKey:
		return invalidParameter("properties.notifications", "A notification key has 1 to %d characters.", maxNotificationKey)
	case n == nil || n.Enabled == nil:
		return invalidParameter(at+".enabled", "enabled is required.")
	case n.Operator == nil:
		return invalidParameter(at+".operator", "operator is required.")
	case n.Threshold == nil || *n.Threshold <= 0 || *n.Threshold > maxBudgetThreshold:
		return invalidParameter(at+".threshold", "The threshold is a percentage above 0 and at most %d.", maxBudgetThreshold)
	case n.ContactEmails == nil:
		return invalidParameter(at+".contactEmails", "contactEmails is required.")
	case len(n.ContactEmails) > maxBudgetContacts || len(n.ContactGroups) > maxBudgetContacts:
		return invalidParameter(at, "A notification has at most %d contact emails and %d contact groups.", maxBudgetContacts, maxBudgetContacts)
	case len(n.ContactEmails) == 0 && len(n.ContactGroups) == 0:
		return invalidParameter(at, "At subscription and resource group scope a notification needs at least one contact email or contact group.")
	}
	for _, e := range n.ContactEmails {
		if e == nil || !strings.Contains(*e, "@") {
			return invalidParameter(at+".contactEmails", "'%s' is not an email address.", deref(e))
		}
	}
	for _, g := range n.ContactGroups {
		if g == nil || !actionGroupIDRE.MatchString(*g) {
			return invalidParameter(at+".contactGroups", "'%s' is not an action group id.", deref(g))
		}
		if o := f.objects[strings.ToLower(*g)]; o == nil {
			return errorf(http.StatusBadRequest, "InvalidActionGroup", "The action group '%s' of notification '%s' was not found.", *g, key)
		}
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return "<null>"
	}
	return *s
}
