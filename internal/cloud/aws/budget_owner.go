package aws

import (
	"context"
	"fmt"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	btypes "github.com/aws/aws-sdk-go-v2/service/budgets/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// A budget proves whose it is by its owner tag (cloud.OwnerTagKey), set by CreateBudget. Its token
// alarm and parameters are known by the budget's name (TokenAlarmName, TokenParameterDescription):
// they are the budget's when the budget of the name is.

// ownerTags are the tags CreateBudget gives a budget made for owner (none without one).
func ownerTags(owner string) []btypes.ResourceTag {
	if owner == "" {
		return nil
	}
	return []btypes.ResourceTag{{Key: sdkaws.String(cloud.OwnerTagKey), Value: sdkaws.String(owner)}}
}

// budgetARN is the ARN of the budget called name, which carries its tags. accountID has been called.
func (a *BudgetAPI) budgetARN(name string) string {
	return "arn:" + a.partition + ":budgets::" + a.account + ":budget/" + name
}

// budgetOwner reports whether the budget called name exists and the owner token it carries ("" for
// none). accountID has been called.
func (a *BudgetAPI) budgetOwner(ctx context.Context, name string) (owner string, exists bool, err error) {
	out, err := a.budgets.ListTagsForResource(ctx, &budgets.ListTagsForResourceInput{ResourceARN: sdkaws.String(a.budgetARN(name))})
	if isBudgetNotFound(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("reading the tags of budget %s: %w", name, err)
	}
	for _, t := range out.ResourceTags {
		if sdkaws.ToString(t.Key) == cloud.OwnerTagKey {
			return sdkaws.ToString(t.Value), true, nil
		}
	}
	return "", true, nil
}

// nameTaken is the error for a budget name held by a budget that is not this resource's; importable
// adds the import id, for a resource not yet in state.
func (a *BudgetAPI) nameTaken(name string, importable bool) *cloud.NameTakenError {
	e := &cloud.NameTakenError{Attribute: "name", Name: name, Object: fmt.Sprintf("the AWS Budgets budget %s in account %s", name, a.account)}
	if importable {
		e.ImportID = string(spec.AWS) + "/" + name
	}
	return e
}

// reclaim frees the name of b, which CreateBudget found taken. A budget that carries owner was made by
// an interrupted create of this resource (whose token the working directory's journal kept: see
// cloud.Journal): it is deleted with its token alarm and parameters, and the create starts again. Any
// other budget is a NameTakenError, and nothing of it is touched.
func (a *BudgetAPI) reclaim(ctx context.Context, b *spec.Budget, owner string) error {
	tag, exists, err := a.budgetOwner(ctx, b.Name)
	switch {
	case err != nil:
		return err
	case !exists:
		return nil // deleted meanwhile
	case owner == "" || tag != owner:
		return a.nameTaken(b.Name, true)
	}
	tflog.Warn(ctx, "deleting the budget of an interrupted create of this budget", map[string]any{"budget": b.Name})
	return a.Delete(ctx, ownedRef(b, owner))
}

// ownedRef finds budget b as the resource with owner token owner does.
func ownedRef(b *spec.Budget, owner string) cloud.BudgetRef {
	return cloud.BudgetRef{Name: b.Name, Native: map[string]string{cloud.NativeOwner: owner}, Services: b.Scope.ServiceIDs}
}
