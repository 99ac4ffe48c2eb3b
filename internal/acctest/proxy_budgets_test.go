package acctest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	btypes "github.com/aws/aws-sdk-go-v2/service/budgets/types"
	"github.com/aws/smithy-go"
)

func notice(threshold float64) *btypes.Notification {
	return &btypes.Notification{NotificationType: btypes.NotificationTypeActual, ComparisonOperator: btypes.ComparisonOperatorGreaterThan,
		Threshold: threshold, ThresholdType: btypes.ThresholdTypePercentage}
}

func email(addr string) btypes.Subscriber {
	return btypes.Subscriber{SubscriptionType: btypes.SubscriptionTypeEmail, Address: sdkaws.String(addr)}
}

func topic(name string) btypes.Subscriber {
	return btypes.Subscriber{SubscriptionType: btypes.SubscriptionTypeSns, Address: sdkaws.String("arn:aws:sns:us-east-1:123456789012:" + name)}
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	if err != nil {
		return "not an API error: " + err.Error()
	}
	return ""
}

// TestProxy_budgets exercises the Budgets operations the edge serves through the real SDK: the
// subscribers it keeps, and the errors the API reference documents for unknown budgets and
// notifications, duplicates and limits.
func TestProxy_budgets(t *testing.T) {
	p := startEdge(t)
	cfg := sdkaws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""), BaseEndpoint: sdkaws.String(p.URL)}
	c := budgets.NewFromConfig(cfg)
	ctx := context.Background()
	acct := sdkaws.String("123456789012")
	budget := func(name string) *btypes.Budget {
		return &btypes.Budget{BudgetName: sdkaws.String(name), BudgetType: btypes.BudgetTypeCost, TimeUnit: btypes.TimeUnitMonthly,
			BudgetLimit: &btypes.Spend{Amount: sdkaws.String("100"), Unit: sdkaws.String("USD")}}
	}
	with := func(n *btypes.Notification, subs ...btypes.Subscriber) btypes.NotificationWithSubscribers {
		return btypes.NotificationWithSubscribers{Notification: n, Subscribers: subs}
	}
	createBudget := func(name string, ns ...btypes.NotificationWithSubscribers) error {
		_, err := c.CreateBudget(ctx, &budgets.CreateBudgetInput{AccountId: acct, Budget: budget(name), NotificationsWithSubscribers: ns})
		return err
	}
	subscribers := func(name string, n *btypes.Notification) (string, error) {
		out, err := c.DescribeSubscribersForNotification(ctx, &budgets.DescribeSubscribersForNotificationInput{AccountId: acct, BudgetName: sdkaws.String(name), Notification: n})
		if err != nil {
			return "", err
		}
		s := ""
		for _, sub := range out.Subscribers {
			s += sdkaws.ToString(sub.Address) + " "
		}
		return s, nil
	}
	createNotification := func(name string, n *btypes.Notification, subs ...btypes.Subscriber) error {
		_, err := c.CreateNotification(ctx, &budgets.CreateNotificationInput{AccountId: acct, BudgetName: sdkaws.String(name), Notification: n, Subscribers: subs})
		return err
	}
	deleteNotification := func(name string, n *btypes.Notification) error {
		_, err := c.DeleteNotification(ctx, &budgets.DeleteNotificationInput{AccountId: acct, BudgetName: sdkaws.String(name), Notification: n})
		return err
	}
	subscriber := func(create bool, name string, n *btypes.Notification, s btypes.Subscriber) error {
		if create {
			_, err := c.CreateSubscriber(ctx, &budgets.CreateSubscriberInput{AccountId: acct, BudgetName: sdkaws.String(name), Notification: n, Subscriber: &s})
			return err
		}
		_, err := c.DeleteSubscriber(ctx, &budgets.DeleteSubscriberInput{AccountId: acct, BudgetName: sdkaws.String(name), Notification: n, Subscriber: &s})
		return err
	}
	updateNotification := func(name string, old, n *btypes.Notification) error {
		_, err := c.UpdateNotification(ctx, &budgets.UpdateNotificationInput{AccountId: acct, BudgetName: sdkaws.String(name), OldNotification: old, NewNotification: n})
		return err
	}
	elevenEmails := make([]btypes.Subscriber, 11)
	for i := range elevenEmails {
		elevenEmails[i] = email(fmt.Sprintf("ops%d@example.com", i))
	}

	if err := createBudget("b", with(notice(80), email("ops@example.com"), topic("alerts")), with(notice(100), topic("alerts"))); err != nil {
		t.Fatal(err)
	}
	if s, err := subscribers("b", notice(80)); err != nil || s != "ops@example.com arn:aws:sns:us-east-1:123456789012:alerts " {
		t.Errorf("subscribers of the 80 %% notification = %q, %v", s, err)
	}
	steps := []struct {
		what string
		err  error
		want string
	}{
		{"a budget name already taken", createBudget("b"), "DuplicateRecordException"},
		{"six notifications", createBudget("c", with(notice(1), topic("a")), with(notice(2), topic("a")), with(notice(3), topic("a")), with(notice(4), topic("a")), with(notice(5), topic("a")), with(notice(6), topic("a"))), "CreationLimitExceededException"},
		{"a notification listed twice", createBudget("c", with(notice(1), topic("a")), with(notice(1), topic("b"))), "DuplicateRecordException"},
		{"two topics on a notification", createBudget("c", with(notice(1), topic("a"), topic("b"))), "CreationLimitExceededException"},
		{"a notification without subscribers", createBudget("c", btypes.NotificationWithSubscribers{Notification: notice(1), Subscribers: []btypes.Subscriber{}}), "InvalidParameterException"},
		{"notifications of an unknown budget", func() error {
			_, err := c.DescribeNotificationsForBudget(ctx, &budgets.DescribeNotificationsForBudgetInput{AccountId: acct, BudgetName: sdkaws.String("nope")})
			return err
		}(), "NotFoundException"},
		{"a notification that exists", createNotification("b", notice(80), topic("x")), "DuplicateRecordException"},
		{"a notification on an unknown budget", createNotification("nope", notice(80), topic("x")), "NotFoundException"},
		{"eleven emails", createNotification("b", notice(90), elevenEmails...), "CreationLimitExceededException"},
		{"a new notification", createNotification("b", notice(120), email("cto@example.com")), ""},
		{"deleting a notification that does not exist", deleteNotification("b", notice(7)), "NotFoundException"},
		{"deleting a notification of an unknown budget", deleteNotification("nope", notice(80)), "NotFoundException"},
		{"deleting a notification", deleteNotification("b", notice(120)), ""},
		{"the subscribers of a deleted notification", func() error { _, err := subscribers("b", notice(120)); return err }(), "NotFoundException"},
		{"updating a notification that does not exist", updateNotification("b", notice(7), notice(8)), "NotFoundException"},
		{"updating a notification onto another", updateNotification("b", notice(80), notice(100)), "DuplicateRecordException"},
		{"updating a notification", updateNotification("b", notice(80), notice(90)), ""},
		{"a subscriber already subscribed", subscriber(true, "b", notice(90), email("ops@example.com")), "DuplicateRecordException"},
		{"a second topic", subscriber(true, "b", notice(90), topic("other")), "CreationLimitExceededException"},
		{"a subscriber of an unknown notification", subscriber(true, "b", notice(7), email("a@example.com")), "NotFoundException"},
		{"removing a subscriber not subscribed", subscriber(false, "b", notice(90), email("nobody@example.com")), "NotFoundException"},
		{"removing a subscriber", subscriber(false, "b", notice(90), email("ops@example.com")), ""},
		{"updating an unknown budget", func() error {
			_, err := c.UpdateBudget(ctx, &budgets.UpdateBudgetInput{AccountId: acct, NewBudget: budget("nope")})
			return err
		}(), "NotFoundException"},
	}
	for _, s := range steps {
		if got := errorCode(s.err); got != s.want {
			t.Errorf("%s: error %q (%v), want %q", s.what, got, s.err, s.want)
		}
	}
	if s, err := subscribers("b", notice(90)); err != nil || s != "arn:aws:sns:us-east-1:123456789012:alerts " {
		t.Errorf("an updated notification keeps its subscribers, less the one removed: %q, %v", s, err)
	}
	if _, err := c.UpdateBudget(ctx, &budgets.UpdateBudgetInput{AccountId: acct, NewBudget: budget("b")}); err != nil {
		t.Fatal(err)
	}
	if s, err := subscribers("b", notice(100)); err != nil || s != "arn:aws:sns:us-east-1:123456789012:alerts " {
		t.Errorf("an updated budget keeps its notifications and subscribers: %q, %v", s, err)
	}
	if _, err := c.DeleteBudget(ctx, &budgets.DeleteBudgetInput{AccountId: acct, BudgetName: sdkaws.String("b")}); err != nil {
		t.Fatal(err)
	}
	if _, err := subscribers("b", notice(100)); errorCode(err) != "NotFoundException" {
		t.Errorf("the subscribers of a deleted budget: %v", err)
	}
	if _, err := c.DeleteBudget(ctx, &budgets.DeleteBudgetInput{AccountId: acct, BudgetName: sdkaws.String("b")}); errorCode(err) != "NotFoundException" {
		t.Errorf("deleting a deleted budget: %v", err)
	}
	// A budget made again under the name does not inherit the old one's subscribers.
	if err := createBudget("b", with(notice(100), email("new@example.com"))); err != nil {
		t.Fatal(err)
	}
	if s, err := subscribers("b", notice(100)); err != nil || s != "new@example.com " {
		t.Errorf("subscribers of the new budget = %q, %v", s, err)
	}
}

// TestProxy_budgetTags exercises the budget tags the edge keeps (moto keeps none) through the real
// SDK: ResourceTags given to CreateBudget, ListTagsForResource, TagResource and UntagResource on the
// budget's ARN, with the errors of the API reference (unknown budget: NotFoundException; a malformed
// ARN or tag: InvalidParameterException; more than 50 tags: ServiceQuotaExceededException), tags kept
// by UpdateBudget and a failed CreateBudget, and forgotten by DeleteBudget.
func TestProxy_budgetTags(t *testing.T) {
	p := startEdge(t)
	cfg := sdkaws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""), BaseEndpoint: sdkaws.String(p.URL)}
	c := budgets.NewFromConfig(cfg)
	ctx := context.Background()
	acct := sdkaws.String("123456789012")
	arn := func(name string) *string { return sdkaws.String("arn:aws:budgets::123456789012:budget/" + name) }
	tag := func(k, v string) btypes.ResourceTag {
		return btypes.ResourceTag{Key: sdkaws.String(k), Value: sdkaws.String(v)}
	}
	many := func(n int) []btypes.ResourceTag {
		out := make([]btypes.ResourceTag, n)
		for i := range out {
			out[i] = tag(fmt.Sprintf("k%d", i), "v")
		}
		return out
	}
	createBudget := func(name string, tags ...btypes.ResourceTag) error {
		_, err := c.CreateBudget(ctx, &budgets.CreateBudgetInput{AccountId: acct, ResourceTags: tags, Budget: &btypes.Budget{
			BudgetName: sdkaws.String(name), BudgetType: btypes.BudgetTypeCost, TimeUnit: btypes.TimeUnitMonthly,
			BudgetLimit: &btypes.Spend{Amount: sdkaws.String("100"), Unit: sdkaws.String("USD")},
		}})
		return err
	}
	tags := func(name string) (string, error) {
		out, err := c.ListTagsForResource(ctx, &budgets.ListTagsForResourceInput{ResourceARN: arn(name)})
		if err != nil {
			return "", err
		}
		var s []string
		for _, t := range out.ResourceTags {
			s = append(s, sdkaws.ToString(t.Key)+"="+sdkaws.ToString(t.Value))
		}
		return strings.Join(s, " "), nil
	}
	tagResource := func(name string, tags ...btypes.ResourceTag) error {
		_, err := c.TagResource(ctx, &budgets.TagResourceInput{ResourceARN: arn(name), ResourceTags: tags})
		return err
	}
	untag := func(name string, keys ...string) error {
		_, err := c.UntagResource(ctx, &budgets.UntagResourceInput{ResourceARN: arn(name), ResourceTagKeys: keys})
		return err
	}
	expectTags := func(what, name, want string) {
		t.Helper()
		if got, err := tags(name); err != nil || got != want {
			t.Errorf("%s: tags of %s = %q (%v), want %q", what, name, got, err, want)
		}
	}

	if err := createBudget("t", tag("dspy:owner", "0123abcd"), tag("team", "ml")); err != nil {
		t.Fatal(err)
	}
	expectTags("CreateBudget's ResourceTags", "t", "dspy:owner=0123abcd team=ml")
	if err := createBudget("plain"); err != nil {
		t.Fatal(err)
	}
	expectTags("a budget made without tags", "plain", "")
	steps := []struct {
		what string
		err  error
		want string
	}{
		{"a budget name already taken, with other tags", createBudget("t", tag("dspy:owner", "ffff")), "DuplicateRecordException"},
		{"a tag key under aws:", createBudget("u", tag("aws:createdBy", "me")), "InvalidParameterException"},
		{"a tag key given twice", createBudget("u", tag("a", "1"), tag("a", "2")), "InvalidParameterException"},
		{"an empty tag key", createBudget("u", tag("", "1")), "InvalidParameterException"},
		{"a tag key of 129 characters", createBudget("u", tag(strings.Repeat("k", 129), "1")), "InvalidParameterException"},
		{"a tag value of 257 characters", createBudget("u", tag("k", strings.Repeat("v", 257))), "InvalidParameterException"},
		{"51 tags on a new budget", createBudget("u", many(51)...), "ServiceQuotaExceededException"},
		{"the tags of an unknown budget", func() error { _, err := tags("nope"); return err }(), "NotFoundException"},
		{"the tags of a budget refused at create", func() error { _, err := tags("u"); return err }(), "NotFoundException"},
		{"the tags of a malformed ARN", func() error {
			_, err := c.ListTagsForResource(ctx, &budgets.ListTagsForResourceInput{ResourceARN: sdkaws.String("arn:aws:budgets::123456789012:t")})
			return err
		}(), "InvalidParameterException"},
		{"tagging an unknown budget", tagResource("nope", tag("a", "1")), "NotFoundException"},
		{"untagging an unknown budget", untag("nope", "a"), "NotFoundException"},
		{"tagging past 50 tags", tagResource("t", many(49)...), "ServiceQuotaExceededException"},
		{"tagging with a reserved key", tagResource("t", tag("aws:x", "1")), "InvalidParameterException"},
		{"changing a tag and adding one", tagResource("t", tag("team", "platform"), tag("cost-center", "42")), ""},
		{"untagging a key and one it does not have", untag("t", "cost-center", "absent"), ""},
	}
	for _, s := range steps {
		if got := errorCode(s.err); got != s.want {
			t.Errorf("%s: error %q (%v), want %q", s.what, got, s.err, s.want)
		}
	}
	expectTags("after the refused create, TagResource and UntagResource", "t", "dspy:owner=0123abcd team=platform")
	if _, err := c.UpdateBudget(ctx, &budgets.UpdateBudgetInput{AccountId: acct, NewBudget: &btypes.Budget{
		BudgetName: sdkaws.String("t"), BudgetType: btypes.BudgetTypeCost, TimeUnit: btypes.TimeUnitMonthly,
		BudgetLimit: &btypes.Spend{Amount: sdkaws.String("200"), Unit: sdkaws.String("USD")},
	}}); err != nil {
		t.Fatal(err)
	}
	expectTags("after UpdateBudget", "t", "dspy:owner=0123abcd team=platform")
	if _, err := c.DeleteBudget(ctx, &budgets.DeleteBudgetInput{AccountId: acct, BudgetName: sdkaws.String("t")}); err != nil {
		t.Fatal(err)
	}
	if _, err := tags("t"); errorCode(err) != "NotFoundException" {
		t.Errorf("the tags of a deleted budget: %v", err)
	}
	// A budget made again under the name does not inherit the old one's tags.
	if err := createBudget("t", tag("dspy:owner", "beef")); err != nil {
		t.Fatal(err)
	}
	expectTags("a budget made again", "t", "dspy:owner=beef")

	// A CreateBudget whose caller goes away (killed) after the call reached the service completes,
	// tags included, as on AWS: the budget is never left without them.
	p.Inject(Fault{Service: "budgets", Action: "CreateBudget", Contains: `"gave-up"`, Times: 1, Delay: 300 * time.Millisecond})
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := c.CreateBudget(short, &budgets.CreateBudgetInput{AccountId: acct, ResourceTags: []btypes.ResourceTag{tag("dspy:owner", "cafe")}, Budget: &btypes.Budget{
		BudgetName: sdkaws.String("gave-up"), BudgetType: btypes.BudgetTypeCost, TimeUnit: btypes.TimeUnitMonthly,
		BudgetLimit: &btypes.Spend{Amount: sdkaws.String("100"), Unit: sdkaws.String("USD")},
	}}); err == nil {
		t.Fatal("the caller should have given up before the answer")
	}
	for i := 0; i < 50; i++ {
		if got, err := tags("gave-up"); err == nil && got != "" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	expectTags("a create whose caller gave up", "gave-up", "dspy:owner=cafe")
}
