package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	btypes "github.com/aws/aws-sdk-go-v2/service/budgets/types"
)

// budgetsEdge emulates the AWS Budgets operations moto lacks — UpdateBudget, UpdateNotification,
// DescribeSubscribersForNotification, CreateSubscriber, DeleteSubscriber — as the API reference
// describes them. moto keeps budgets and notifications but never returns subscribers, so the edge
// mirrors them from the calls that set them (CreateBudget, CreateNotification) and serves them back.
type budgetsEdge struct {
	mu          sync.Mutex
	subscribers map[string][]btypes.Subscriber // budget key + notification key
	moto        *budgets.Client
}

func newBudgetsEdge(upstream string) *budgetsEdge {
	cfg := sdkaws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""), BaseEndpoint: sdkaws.String(upstream)}
	return &budgetsEdge{subscribers: map[string][]btypes.Subscriber{}, moto: budgets.NewFromConfig(cfg)}
}

func notificationKey(account, budget string, n *btypes.Notification) string {
	if n == nil {
		return account + "/" + budget + "/"
	}
	return fmt.Sprintf("%s/%s/%s|%s|%g|%s", account, budget, n.NotificationType, n.ComparisonOperator, n.Threshold, n.ThresholdType)
}

func jsonError(status int, kind, msg string) (int, []byte) {
	b, _ := json.Marshal(map[string]string{"__type": kind, "Message": msg})
	return status, b
}

func jsonOK(v any) (int, []byte) {
	b, _ := json.Marshal(v)
	return http.StatusOK, b
}

// observe records subscribers from calls that moto serves itself; it runs after moto answered 200.
func (e *budgetsEdge) observe(action string, body []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch action {
	case "CreateBudget":
		var in struct {
			AccountId                    string
			Budget                       btypes.Budget
			NotificationsWithSubscribers []btypes.NotificationWithSubscribers
		}
		if json.Unmarshal(body, &in) == nil {
			for _, n := range in.NotificationsWithSubscribers {
				e.subscribers[notificationKey(in.AccountId, sdkaws.ToString(in.Budget.BudgetName), n.Notification)] = n.Subscribers
			}
		}
	case "CreateNotification":
		var in struct {
			AccountId, BudgetName string
			Notification          btypes.Notification
			Subscribers           []btypes.Subscriber
		}
		if json.Unmarshal(body, &in) == nil {
			e.subscribers[notificationKey(in.AccountId, in.BudgetName, &in.Notification)] = in.Subscribers
		}
	case "DeleteNotification":
		var in struct {
			AccountId, BudgetName string
			Notification          btypes.Notification
		}
		if json.Unmarshal(body, &in) == nil {
			delete(e.subscribers, notificationKey(in.AccountId, in.BudgetName, &in.Notification))
		}
	}
}

func (e *budgetsEdge) notifications(ctx context.Context, account, budget string) ([]btypes.Notification, error) {
	out, err := e.moto.DescribeNotificationsForBudget(ctx, &budgets.DescribeNotificationsForBudgetInput{AccountId: &account, BudgetName: &budget})
	if err != nil {
		return nil, err
	}
	return out.Notifications, nil
}

func (e *budgetsEdge) has(ctx context.Context, account, budget string, n *btypes.Notification) (bool, error) {
	ns, err := e.notifications(ctx, account, budget)
	if err != nil {
		return false, err
	}
	for i := range ns {
		if notificationKey(account, budget, &ns[i]) == notificationKey(account, budget, n) {
			return true, nil
		}
	}
	return false, nil
}

// updateBudget replaces the budget, keeping its notifications and their subscribers.
func (e *budgetsEdge) updateBudget(ctx context.Context, body []byte) (int, []byte) {
	var in struct {
		AccountId string
		NewBudget btypes.Budget
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return jsonError(400, "InvalidParameterException", err.Error())
	}
	name := sdkaws.ToString(in.NewBudget.BudgetName)
	ns, err := e.notifications(ctx, in.AccountId, name)
	if err != nil {
		return jsonError(400, "NotFoundException", fmt.Sprintf("Unable to get budget: %s - the budget doesn't exist.", name))
	}
	e.mu.Lock()
	var with []btypes.NotificationWithSubscribers
	for i := range ns {
		with = append(with, btypes.NotificationWithSubscribers{Notification: &ns[i], Subscribers: e.subscribers[notificationKey(in.AccountId, name, &ns[i])]})
	}
	e.mu.Unlock()
	if _, err := e.moto.DeleteBudget(ctx, &budgets.DeleteBudgetInput{AccountId: &in.AccountId, BudgetName: &name}); err != nil {
		return jsonError(500, "InternalErrorException", err.Error())
	}
	if _, err := e.moto.CreateBudget(ctx, &budgets.CreateBudgetInput{AccountId: &in.AccountId, Budget: &in.NewBudget, NotificationsWithSubscribers: with}); err != nil {
		return jsonError(500, "InternalErrorException", err.Error())
	}
	return jsonOK(struct{}{})
}

func (e *budgetsEdge) updateNotification(ctx context.Context, body []byte) (int, []byte) {
	var in struct {
		AccountId, BudgetName            string
		OldNotification, NewNotification btypes.Notification
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return jsonError(400, "InvalidParameterException", err.Error())
	}
	if ok, err := e.has(ctx, in.AccountId, in.BudgetName, &in.OldNotification); err != nil || !ok {
		return jsonError(400, "NotFoundException", "Unable to find the notification for budget "+in.BudgetName)
	}
	oldKey := notificationKey(in.AccountId, in.BudgetName, &in.OldNotification)
	e.mu.Lock()
	subs := e.subscribers[oldKey]
	e.mu.Unlock()
	if _, err := e.moto.DeleteNotification(ctx, &budgets.DeleteNotificationInput{AccountId: &in.AccountId, BudgetName: &in.BudgetName, Notification: &in.OldNotification}); err != nil {
		return jsonError(500, "InternalErrorException", err.Error())
	}
	if _, err := e.moto.CreateNotification(ctx, &budgets.CreateNotificationInput{AccountId: &in.AccountId, BudgetName: &in.BudgetName, Notification: &in.NewNotification, Subscribers: subs}); err != nil {
		return jsonError(500, "InternalErrorException", err.Error())
	}
	e.mu.Lock()
	delete(e.subscribers, oldKey)
	e.subscribers[notificationKey(in.AccountId, in.BudgetName, &in.NewNotification)] = subs
	e.mu.Unlock()
	return jsonOK(struct{}{})
}

type subscriberCall struct {
	AccountId, BudgetName string
	Notification          btypes.Notification
	Subscriber            btypes.Subscriber
}

func (e *budgetsEdge) subscriberCall(ctx context.Context, body []byte) (*subscriberCall, string, int, []byte) {
	var in subscriberCall
	if err := json.Unmarshal(body, &in); err != nil {
		s, b := jsonError(400, "InvalidParameterException", err.Error())
		return nil, "", s, b
	}
	if ok, err := e.has(ctx, in.AccountId, in.BudgetName, &in.Notification); err != nil || !ok {
		s, b := jsonError(400, "NotFoundException", "Unable to find the notification for budget "+in.BudgetName)
		return nil, "", s, b
	}
	return &in, notificationKey(in.AccountId, in.BudgetName, &in.Notification), 0, nil
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
		if sdkaws.ToString(s.Address) == sdkaws.ToString(in.Subscriber.Address) && s.SubscriptionType == in.Subscriber.SubscriptionType {
			return jsonError(400, "DuplicateRecordException", "the subscriber already exists")
		}
	}
	e.subscribers[key] = append(e.subscribers[key], in.Subscriber)
	return jsonOK(struct{}{})
}

func (e *budgetsEdge) deleteSubscriber(ctx context.Context, body []byte) (int, []byte) {
	in, key, status, out := e.subscriberCall(ctx, body)
	if in == nil {
		return status, out
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var keep []btypes.Subscriber
	found := false
	for _, s := range e.subscribers[key] {
		if sdkaws.ToString(s.Address) == sdkaws.ToString(in.Subscriber.Address) && s.SubscriptionType == in.Subscriber.SubscriptionType {
			found = true
			continue
		}
		keep = append(keep, s)
	}
	if !found {
		return jsonError(400, "NotFoundException", "the subscriber does not exist")
	}
	e.subscribers[key] = keep
	return jsonOK(struct{}{})
}
