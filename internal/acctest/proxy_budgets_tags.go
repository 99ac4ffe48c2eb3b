package acctest

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	btypes "github.com/aws/aws-sdk-go-v2/service/budgets/types"
	"github.com/aws/smithy-go"
)

// budgetKey is the key of a budget's tags: its account and name, as in its ARN
// (arn:<partition>:budgets::<account>:budget/<name>, global, so without a region).
func budgetKey(account, name string) string { return account + "/" + name }

// budgetARNRe matches a budget's ARN (not a budget action's, which the edge does not serve).
var budgetARNRe = regexp.MustCompile(`^arn:aws[a-z-]*:budgets::(\d{12}):budget/([^/]+)$`)

// checkTags enforces the tag restrictions on tags added to have: each key 1 to 128 characters and
// once per call, not under the reserved aws: prefix, each value at most 256 characters
// (InvalidParameterException); at most 200 in a call (InvalidParameterException) and 50 on the budget
// once added (ServiceQuotaExceededException).
func checkTags(have, add []btypes.ResourceTag) (int, []byte) {
	if len(add) > maxTagsPerCall {
		return badRequest("InvalidParameterException", "ResourceTags must have at most %d members, got %d.", maxTagsPerCall, len(add))
	}
	seen := map[string]bool{}
	for _, t := range add {
		k, v := sdkaws.ToString(t.Key), sdkaws.ToString(t.Value)
		switch {
		case t.Key == nil || t.Value == nil:
			return badRequest("InvalidParameterException", "A ResourceTag needs a Key and a Value.")
		case utf8.RuneCountInString(k) < 1 || utf8.RuneCountInString(k) > maxTagKey:
			return badRequest("InvalidParameterException", "Tag key %q must be 1 to %d characters long.", k, maxTagKey)
		case utf8.RuneCountInString(v) > maxTagValue:
			return badRequest("InvalidParameterException", "The value of tag %q must be at most %d characters long.", k, maxTagValue)
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			return badRequest("InvalidParameterException", "Tag key %q uses the reserved prefix aws:.", k)
		case seen[k]:
			return badRequest("InvalidParameterException", "Tag key %q is given twice.", k)
		}
		seen[k] = true
	}
	if n := len(mergeTags(have, add)); n > maxTagsPerBudget {
		return badRequest("ServiceQuotaExceededException", "A budget can have up to %d tags; this request would give it %d.", maxTagsPerBudget, n)
	}
	return 0, nil
}

// mergeTags returns have with add applied: a key already there takes the new value.
func mergeTags(have, add []btypes.ResourceTag) []btypes.ResourceTag {
	out := append([]btypes.ResourceTag{}, have...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if sdkaws.ToString(out[i].Key) == sdkaws.ToString(t.Key) {
				out[i].Value, replaced = t.Value, true
			}
		}
		if !replaced {
			out = append(out, btypes.ResourceTag{Key: t.Key, Value: t.Value})
		}
	}
	return out
}

// taggedBudget parses a tag call's ResourceARN and checks that the budget exists, returning the key
// of its tags: an ARN that is not a budget's is an InvalidParameterException, an unknown budget a
// NotFoundException.
func (e *budgetsEdge) taggedBudget(ctx context.Context, arn string) (string, int, []byte) {
	m := budgetARNRe.FindStringSubmatch(arn)
	if m == nil {
		status, out := badRequest("InvalidParameterException", "ResourceARN %q is not the ARN of a budget (arn:aws:budgets::<account>:budget/<name>).", arn)
		return "", status, out
	}
	if _, err := e.moto.DescribeBudget(ctx, &budgets.DescribeBudgetInput{AccountId: &m[1], BudgetName: &m[2]}); err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == "NotFoundException" {
			status, out := badRequest("NotFoundException", "Unable to find the resource %s.", arn)
			return "", status, out
		}
		status, out := motoError(err)
		return "", status, out
	}
	return budgetKey(m[1], m[2]), 0, nil
}

// listTags returns a budget's tags.
func (e *budgetsEdge) listTags(ctx context.Context, body []byte) (int, []byte) {
	var in struct{ ResourceARN string }
	if err := json.Unmarshal(body, &in); err != nil {
		return badRequest("InvalidParameterException", "%s", err)
	}
	key, status, out := e.taggedBudget(ctx, in.ResourceARN)
	if status != 0 {
		return status, out
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return jsonOK(map[string]any{"ResourceTags": append([]btypes.ResourceTag{}, e.tags[key]...)})
}

// tagResource adds tags to a budget, or changes the value of those it has.
func (e *budgetsEdge) tagResource(ctx context.Context, body []byte) (int, []byte) {
	var in struct {
		ResourceARN  string
		ResourceTags []btypes.ResourceTag
	}
	if err := json.Unmarshal(body, &in); err != nil || in.ResourceTags == nil {
		return badRequest("InvalidParameterException", "TagResource needs ResourceARN and ResourceTags.")
	}
	key, status, out := e.taggedBudget(ctx, in.ResourceARN)
	if status != 0 {
		return status, out
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if status, out := checkTags(e.tags[key], in.ResourceTags); status != 0 {
		return status, out
	}
	e.tags[key] = mergeTags(e.tags[key], in.ResourceTags)
	return jsonOK(struct{}{})
}

// untagResource removes tags from a budget by key; keys it does not have are no error.
func (e *budgetsEdge) untagResource(ctx context.Context, body []byte) (int, []byte) {
	var in struct {
		ResourceARN     string
		ResourceTagKeys []string
	}
	if err := json.Unmarshal(body, &in); err != nil || in.ResourceTagKeys == nil {
		return badRequest("InvalidParameterException", "UntagResource needs ResourceARN and ResourceTagKeys.")
	}
	if len(in.ResourceTagKeys) > maxTagsPerCall {
		return badRequest("InvalidParameterException", "ResourceTagKeys must have at most %d members, got %d.", maxTagsPerCall, len(in.ResourceTagKeys))
	}
	for _, k := range in.ResourceTagKeys {
		if n := utf8.RuneCountInString(k); n < 1 || n > maxTagKey {
			return badRequest("InvalidParameterException", "Tag key %q must be 1 to %d characters long.", k, maxTagKey)
		}
	}
	key, status, out := e.taggedBudget(ctx, in.ResourceARN)
	if status != 0 {
		return status, out
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var keep []btypes.ResourceTag
	for _, t := range e.tags[key] {
		drop := false
		for _, k := range in.ResourceTagKeys {
			drop = drop || sdkaws.ToString(t.Key) == k
		}
		if !drop {
			keep = append(keep, t)
		}
	}
	e.tags[key] = keep
	return jsonOK(struct{}{})
}
