package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	btypes "github.com/aws/aws-sdk-go-v2/service/budgets/types"
	"github.com/aws/smithy-go"
)

// budgetsEdge serves the AWS Budgets operations on notifications and subscribers, as the API
// reference describes them, in front of moto: moto keeps budgets and notifications but never returns
// subscribers, accepts duplicate notifications, deletes notifications that do not exist without a
// word and fails with a server error on the notifications of an unknown budget. The edge checks every
// call as AWS does (unknown budget or notification: NotFoundException; one that exists:
// DuplicateRecordException; more than five notifications, or more than one SNS topic or ten emails
// per notification: CreationLimitExceededException), keeps the subscribers itself, and lets moto hold
// budgets and notifications. moto keeps no tags either: the edge keeps a budget's ResourceTags from
// CreateBudget and serves ListTagsForResource, TagResource and UntagResource on the budget's ARN.
type budgetsEdge struct {
	mu          sync.Mutex
	subscribers map[string][]btypes.Subscriber  // notificationKey
	tags        map[string][]btypes.ResourceTag // budgetKey
	moto        *budgets.Client
	upstream    string
}

// Limits of AWS Budgets (CreateBudget, CreateNotification and NotificationWithSubscribers in the API
// reference).
const (
	maxNotifications   = 5
	maxSubscribers     = 11 // per notification: one SNS topic and ten emails
	maxEmailsPerNotice = 10
	maxTopicsPerNotice = 1
	// Tags (ResourceTag, TagResource and the Billing and Cost Management tag restrictions): at most
	// 200 in one call, 50 on a budget; keys of 1 to 128 characters, values of at most 256, no key
	// twice, and the aws: prefix is reserved.
	maxTagsPerCall   = 200
	maxTagsPerBudget = 50
	maxTagKey        = 128
	maxTagValue      = 256
)

func newBudgetsEdge(upstream string) *budgetsEdge {
	cfg := sdkaws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""), BaseEndpoint: sdkaws.String(upstream)}
	return &budgetsEdge{subscribers: map[string][]btypes.Subscriber{}, tags: map[string][]btypes.ResourceTag{}, moto: budgets.NewFromConfig(cfg), upstream: upstream}
}

// forward sends a request body to moto unchanged (the SDK's input types do not read back the epoch
// timestamps of the wire format) and returns moto's answer.
func (e *budgetsEdge) forward(ctx context.Context, action string, body []byte) (int, []byte) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.upstream+"/", bytes.NewReader(body))
	if err != nil {
		return jsonError(http.StatusInternalServerError, "InternalErrorException", err.Error())
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSBudgetServiceGateway."+action)
	// moto finds the service (and the account, from the key) in the credential scope; it does not
	// check the signature.
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/budgets/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return jsonError(http.StatusInternalServerError, "InternalErrorException", err.Error())
	}
	defer func() { _ = resp.Body.Close() }()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return jsonError(http.StatusInternalServerError, "InternalErrorException", err.Error())
	}
	return resp.StatusCode, out
}

func notificationKey(account, budget string, n *btypes.Notification) string {
	if n == nil {
		return account + "/" + budget + "/"
	}
	kind := n.ThresholdType
	if kind == "" {
		kind = btypes.ThresholdTypePercentage // the API's default
	}
	return fmt.Sprintf("%s/%s/%s|%s|%g|%s", account, budget, n.NotificationType, n.ComparisonOperator, n.Threshold, kind)
}

func jsonError(status int, kind, msg string) (int, []byte) {
	b, _ := json.Marshal(map[string]string{"__type": kind, "Message": msg})
	return status, b
}

func jsonOK(v any) (int, []byte) {
	b, _ := json.Marshal(v)
	return http.StatusOK, b
}

// motoError passes on an error moto answered with, in the Budgets wire format.
func motoError(err error) (int, []byte) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return jsonError(http.StatusBadRequest, ae.ErrorCode(), ae.ErrorMessage())
	}
	return jsonError(http.StatusInternalServerError, "InternalErrorException", err.Error())
}

func badRequest(kind, format string, args ...any) (int, []byte) {
	return jsonError(http.StatusBadRequest, kind, fmt.Sprintf(format, args...))
}

// checkSubscribers enforces a notification's subscriber limits.
func checkSubscribers(subs []btypes.Subscriber) (int, []byte) {
	if len(subs) < 1 || len(subs) > maxSubscribers {
		return badRequest("InvalidParameterException", "Subscribers must have between 1 and %d members, got %d.", maxSubscribers, len(subs))
	}
	emails, topics := 0, 0
	seen := map[string]bool{}
	for _, s := range subs {
		k := string(s.SubscriptionType) + "|" + sdkaws.ToString(s.Address)
		if seen[k] {
			return badRequest("InvalidParameterException", "The subscriber %s is listed twice.", sdkaws.ToString(s.Address))
		}
		seen[k] = true
		switch s.SubscriptionType {
		case btypes.SubscriptionTypeEmail:
			emails++
		case btypes.SubscriptionTypeSns:
			topics++
		default:
			return badRequest("InvalidParameterException", "SubscriptionType %q must be SNS or EMAIL.", s.SubscriptionType)
		}
	}
	if emails > maxEmailsPerNotice || topics > maxTopicsPerNotice {
		return badRequest("CreationLimitExceededException", "A notification can have one SNS subscriber and up to %d email subscribers; got %d and %d.", maxEmailsPerNotice, topics, emails)
	}
	return 0, nil
}

// notifications lists a budget's notifications; NotFoundException when there is no such budget.
func (e *budgetsEdge) notifications(ctx context.Context, account, budget string) ([]btypes.Notification, error) {
	if _, err := e.moto.DescribeBudget(ctx, &budgets.DescribeBudgetInput{AccountId: &account, BudgetName: &budget}); err != nil {
		return nil, err
	}
	out, err := e.moto.DescribeNotificationsForBudget(ctx, &budgets.DescribeNotificationsForBudgetInput{AccountId: &account, BudgetName: &budget})
	if err != nil {
		return nil, err
	}
	return out.Notifications, nil
}

// find returns the budget's notification equal to n (nil if none), or the error for an unknown budget.
func (e *budgetsEdge) find(ctx context.Context, account, budget string, n *btypes.Notification) (*btypes.Notification, error) {
	ns, err := e.notifications(ctx, account, budget)
	if err != nil {
		return nil, err
	}
	for i := range ns {
		if notificationKey(account, budget, &ns[i]) == notificationKey(account, budget, n) {
			return &ns[i], nil
		}
	}
	return nil, nil
}

func (e *budgetsEdge) keep(key string, subs []btypes.Subscriber) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.subscribers[key] = subs
}

func (e *budgetsEdge) forget(prefix string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for k := range e.subscribers {
		if strings.HasPrefix(k, prefix) {
			delete(e.subscribers, k)
		}
	}
}

// createBudget checks the notifications (at most five, none twice, subscriber limits), then lets
// moto make the budget (which refuses a name already taken) and keeps the subscribers.
func (e *budgetsEdge) createBudget(ctx context.Context, body []byte) (int, []byte) {
	var in struct {
		AccountId string
		Budget    struct{ BudgetName string }
		// Notifications, subscribers and tags have no timestamps: the SDK types read them.
		NotificationsWithSubscribers []btypes.NotificationWithSubscribers
		ResourceTags                 []btypes.ResourceTag
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return badRequest("InvalidParameterException", "%s", err)
	}
	account, name := in.AccountId, in.Budget.BudgetName
	if status, out := checkTags(nil, in.ResourceTags); status != 0 {
		return status, out
	}
	if len(in.NotificationsWithSubscribers) > maxNotifications {
		return badRequest("CreationLimitExceededException", "A budget can have up to %d notifications; got %d.", maxNotifications, len(in.NotificationsWithSubscribers))
	}
	seen := map[string]bool{}
	for _, n := range in.NotificationsWithSubscribers {
		if n.Notification == nil {
			return badRequest("InvalidParameterException", "NotificationWithSubscribers needs a Notification.")
		}
		key := notificationKey(account, name, n.Notification)
		if seen[key] {
			return badRequest("DuplicateRecordException", "Error creating notification: the notification %s is listed twice.", key)
		}
		seen[key] = true
		if status, out := checkSubscribers(n.Subscribers); status != 0 {
			return status, out
		}
	}
	status, out := e.forward(ctx, "CreateBudget", body)
	if status != http.StatusOK {
		return status, out
	}
	e.forget(notificationKey(account, name, nil))
	for _, n := range in.NotificationsWithSubscribers {
		e.keep(notificationKey(account, name, n.Notification), n.Subscribers)
	}
	e.mu.Lock()
	e.tags[budgetKey(account, name)] = mergeTags(nil, in.ResourceTags)
	e.mu.Unlock()
	return status, out
}

// deleteBudget deletes the budget with its notifications, their subscribers and its tags.
func (e *budgetsEdge) deleteBudget(ctx context.Context, body []byte) (int, []byte) {
	var in struct{ AccountId, BudgetName string }
	if err := json.Unmarshal(body, &in); err != nil {
		return badRequest("InvalidParameterException", "%s", err)
	}
	status, out := e.forward(ctx, "DeleteBudget", body)
	if status == http.StatusOK {
		e.forget(notificationKey(in.AccountId, in.BudgetName, nil))
		e.mu.Lock()
		delete(e.tags, budgetKey(in.AccountId, in.BudgetName))
		e.mu.Unlock()
	}
	return status, out
}

// describeNotifications lists a budget's notifications; NotFoundException for an unknown budget.
func (e *budgetsEdge) describeNotifications(ctx context.Context, body []byte) (int, []byte) {
	var in budgets.DescribeNotificationsForBudgetInput
	if err := json.Unmarshal(body, &in); err != nil {
		return badRequest("InvalidParameterException", "%s", err)
	}
	ns, err := e.notifications(ctx, sdkaws.ToString(in.AccountId), sdkaws.ToString(in.BudgetName))
	if err != nil {
		return motoError(err)
	}
	if ns == nil {
		ns = []btypes.Notification{}
	}
	return jsonOK(map[string]any{"Notifications": ns})
}

// createNotification adds a notification with its subscribers to an existing budget.
func (e *budgetsEdge) createNotification(ctx context.Context, body []byte) (int, []byte) {
	var in budgets.CreateNotificationInput
	if err := json.Unmarshal(body, &in); err != nil || in.Notification == nil {
		return badRequest("InvalidParameterException", "CreateNotification needs AccountId, BudgetName, Notification and Subscribers.")
	}
	account, name := sdkaws.ToString(in.AccountId), sdkaws.ToString(in.BudgetName)
	ns, err := e.notifications(ctx, account, name)
	if err != nil {
		return motoError(err)
	}
	key := notificationKey(account, name, in.Notification)
	for i := range ns {
		if notificationKey(account, name, &ns[i]) == key {
			return badRequest("DuplicateRecordException", "Error creating notification: %s - the notification already exists.", key)
		}
	}
	if len(ns) >= maxNotifications {
		return badRequest("CreationLimitExceededException", "Budget %s already has %d notifications, the most a budget can have.", name, len(ns))
	}
	if status, out := checkSubscribers(in.Subscribers); status != 0 {
		return status, out
	}
	if _, err := e.moto.CreateNotification(ctx, &in); err != nil {
		return motoError(err)
	}
	e.keep(key, in.Subscribers)
	return jsonOK(struct{}{})
}

// deleteNotification deletes a notification and its subscribers; NotFoundException when the budget
// or the notification does not exist.
func (e *budgetsEdge) deleteNotification(ctx context.Context, body []byte) (int, []byte) {
	var in budgets.DeleteNotificationInput
	if err := json.Unmarshal(body, &in); err != nil || in.Notification == nil {
		return badRequest("InvalidParameterException", "DeleteNotification needs AccountId, BudgetName and Notification.")
	}
	account, name := sdkaws.ToString(in.AccountId), sdkaws.ToString(in.BudgetName)
	have, err := e.find(ctx, account, name, in.Notification)
	if err != nil {
		return motoError(err)
	}
	if have == nil {
		return badRequest("NotFoundException", "Unable to delete notification - the notification doesn't exist for budget %s.", name)
	}
	// moto matches the notification exactly as stored.
	if _, err := e.moto.DeleteNotification(ctx, &budgets.DeleteNotificationInput{AccountId: in.AccountId, BudgetName: in.BudgetName, Notification: have}); err != nil {
		return motoError(err)
	}
	e.forget(notificationKey(account, name, in.Notification))
	return jsonOK(struct{}{})
}

// updateBudget replaces the budget, keeping its notifications and their subscribers (and its tags,
// which the edge keeps under the budget's account and name).
func (e *budgetsEdge) updateBudget(ctx context.Context, body []byte) (int, []byte) {
	var in struct {
		AccountId string
		NewBudget btypes.Budget
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return badRequest("InvalidParameterException", "%s", err)
	}
	name := sdkaws.ToString(in.NewBudget.BudgetName)
	ns, err := e.notifications(ctx, in.AccountId, name)
	if err != nil {
		return motoError(err)
	}
	e.mu.Lock()
	var with []btypes.NotificationWithSubscribers
	for i := range ns {
		with = append(with, btypes.NotificationWithSubscribers{Notification: &ns[i], Subscribers: e.subscribers[notificationKey(in.AccountId, name, &ns[i])]})
	}
	e.mu.Unlock()
	if _, err := e.moto.DeleteBudget(ctx, &budgets.DeleteBudgetInput{AccountId: &in.AccountId, BudgetName: &name}); err != nil {
		return jsonError(http.StatusInternalServerError, "InternalErrorException", err.Error())
	}
	if _, err := e.moto.CreateBudget(ctx, &budgets.CreateBudgetInput{AccountId: &in.AccountId, Budget: &in.NewBudget, NotificationsWithSubscribers: with}); err != nil {
		return jsonError(http.StatusInternalServerError, "InternalErrorException", err.Error())
	}
	return jsonOK(struct{}{})
}

// updateNotification changes a notification in place, keeping its subscribers: NotFoundException
// when the old one does not exist, DuplicateRecordException when the new one already does.
func (e *budgetsEdge) updateNotification(ctx context.Context, body []byte) (int, []byte) {
	var in struct {
		AccountId, BudgetName            string
		OldNotification, NewNotification btypes.Notification
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return badRequest("InvalidParameterException", "%s", err)
	}
	old, err := e.find(ctx, in.AccountId, in.BudgetName, &in.OldNotification)
	if err != nil {
		return motoError(err)
	}
	if old == nil {
		return badRequest("NotFoundException", "Unable to update notification - the notification doesn't exist for budget %s.", in.BudgetName)
	}
	oldKey, newKey := notificationKey(in.AccountId, in.BudgetName, &in.OldNotification), notificationKey(in.AccountId, in.BudgetName, &in.NewNotification)
	if newKey != oldKey {
		if dup, _ := e.find(ctx, in.AccountId, in.BudgetName, &in.NewNotification); dup != nil {
			return badRequest("DuplicateRecordException", "Unable to update notification - %s already exists.", newKey)
		}
	}
	e.mu.Lock()
	subs := e.subscribers[oldKey]
	e.mu.Unlock()
	if _, err := e.moto.DeleteNotification(ctx, &budgets.DeleteNotificationInput{AccountId: &in.AccountId, BudgetName: &in.BudgetName, Notification: old}); err != nil {
		return jsonError(http.StatusInternalServerError, "InternalErrorException", err.Error())
	}
	if _, err := e.moto.CreateNotification(ctx, &budgets.CreateNotificationInput{AccountId: &in.AccountId, BudgetName: &in.BudgetName, Notification: &in.NewNotification, Subscribers: subs}); err != nil {
		return jsonError(http.StatusInternalServerError, "InternalErrorException", err.Error())
	}
	e.forget(oldKey)
	e.keep(newKey, subs)
	return jsonOK(struct{}{})
}

type subscriberCall struct {
	AccountId, BudgetName string
	Notification          btypes.Notification
	Subscriber            btypes.Subscriber
}

// subscriberCall parses a call on one notification's subscribers and checks that the notification
// exists.
func (e *budgetsEdge) subscriberCall(ctx context.Context, body []byte) (*subscriberCall, string, int, []byte) {
	var in subscriberCall
	if err := json.Unmarshal(body, &in); err != nil {
		s, b := badRequest("InvalidParameterException", "%s", err)
		return nil, "", s, b
	}
	have, err := e.find(ctx, in.AccountId, in.BudgetName, &in.Notification)
	if err != nil {
		s, b := motoError(err)
		return nil, "", s, b
	}
	if have == nil {
		s, b := badRequest("NotFoundException", "Unable to find the notification for budget %s.", in.BudgetName)
		return nil, "", s, b
	}
	return &in, notificationKey(in.AccountId, in.BudgetName, &in.Notification), 0, nil
}

func sameSubscriber(a, b btypes.Subscriber) bool {
	return a.SubscriptionType == b.SubscriptionType && sdkaws.ToString(a.Address) == sdkaws.ToString(b.Address)
}

func (e *budgetsEdge) describeSubscribers(ctx context.Context, body []byte) (int, []byte) {
	in, key, status, out := e.subscriberCall(ctx, body)
	if in == nil {
		return status, out
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	subs := e.subscribers[key]
	if subs == nil {
		subs = []btypes.Subscriber{}
	}
	return jsonOK(map[string]any{"Subscribers": subs})
}

func (e *budgetsEdge) createSubscriber(ctx context.Context, body []byte) (int, []byte) {
	in, key, status, out := e.subscriberCall(ctx, body)
	if in == nil {
		return status, out
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range e.subscribers[key] {
		if sameSubscriber(s, in.Subscriber) {
			return badRequest("DuplicateRecordException", "Error creating subscriber: %s - the subscriber already exists.", sdkaws.ToString(s.Address))
		}
	}
	if status, out := checkSubscribers(append(append([]btypes.Subscriber(nil), e.subscribers[key]...), in.Subscriber)); status != 0 {
		return status, out
	}
	e.subscribers[key] = append(e.subscribers[key], in.Subscriber)
	return jsonOK(struct{}{})
}

// deleteSubscriber removes a subscriber; NotFoundException when it is not subscribed.
func (e *budgetsEdge) deleteSubscriber(ctx context.Context, body []byte) (int, []byte) {
	in, key, status, out := e.subscriberCall(ctx, body)
	if in == nil {
		return status, out
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var keep []btypes.Subscriber
	for _, s := range e.subscribers[key] {
		if !sameSubscriber(s, in.Subscriber) {
			keep = append(keep, s)
		}
	}
	if len(keep) == len(e.subscribers[key]) {
		return badRequest("NotFoundException", "Unable to delete subscriber %s - the subscriber doesn't exist.", sdkaws.ToString(in.Subscriber.Address))
	}
	e.subscribers[key] = keep
	return jsonOK(struct{}{})
}
