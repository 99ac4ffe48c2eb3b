package gcp

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/protobuf/proto"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// A token budget is handed to its service in the service's project metadata: the key
// bootstrap.GCPTokenBudgetKey(service) holds the monthly tokens (every instance reads it from the
// metadata server, DSPY_TOKEN_BUDGET_METADATA), and the key beside it, tokenOwnerKey, names the
// budget and its owner token: only that budget writes or deletes the pair.

// tokenOwnerKey is the metadata key that says which budget wrote a service's token budget.
func tokenOwnerKey(service string) string { return bootstrap.GCPTokenBudgetKey(service) + "-owner" }

// tokenOwnerValue is what tokenOwnerKey holds for a budget and owner token.
func tokenOwnerValue(budget, owner string) string { return BudgetDisplayName(budget, owner) }

// maxMetadataTries bounds the retries of a metadata change that lost a race for the fingerprint
// (other budgets of the apply change the same project's metadata).
const maxMetadataTries = 8

// tokenService is the one service of a budget with a token budget: its name and project.
func tokenService(services []string) (name, project string, ok bool) {
	if len(services) != 1 {
		return "", "", false
	}
	id, err := spec.ParseServiceID(services[0])
	if err != nil || id.Cloud != spec.GCP {
		return "", "", false
	}
	project, _, _ = strings.Cut(id.Scope, "/")
	return id.Name, project, true
}

// tokenMetadata returns the service's token budget value and the owner entry beside it ("" for none).
func (a *BudgetAPI) tokenMetadata(ctx context.Context, project, service string) (value, owner string, err error) {
	c, err := a.compute(ctx)
	if err != nil {
		return "", "", err
	}
	p, err := c.Projects.Get(ctx, &computepb.GetProjectRequest{Project: project})
	if err != nil {
		return "", "", fmt.Errorf("reading the metadata of project %s: %w", project, err)
	}
	for _, it := range p.GetCommonInstanceMetadata().GetItems() {
		switch it.GetKey() {
		case bootstrap.GCPTokenBudgetKey(service):
			value = it.GetValue()
		case tokenOwnerKey(service):
			owner = it.GetValue()
		}
	}
	return value, owner, nil
}

// setTokenMetadata writes the service's token budget (tokens > 0) or removes it (tokens = 0), for
// the budget and owner token. A pair another budget wrote is left alone: an error when writing,
// nothing when removing.
func (a *BudgetAPI) setTokenMetadata(ctx context.Context, project, service, budget, owner string, tokens int64) error {
	c, err := a.compute(ctx)
	if err != nil {
		return err
	}
	key, ownerKey, mine := bootstrap.GCPTokenBudgetKey(service), tokenOwnerKey(service), tokenOwnerValue(budget, owner)
	for try := 1; ; try++ {
		p, err := c.Projects.Get(ctx, &computepb.GetProjectRequest{Project: project})
		if err != nil {
			return fmt.Errorf("reading the metadata of project %s: %w", project, err)
		}
		md := p.GetCommonInstanceMetadata()
		var items []*computepb.Items
		had := false
		for _, it := range md.GetItems() {
			if it.GetKey() == ownerKey && it.GetValue() != mine {
				if tokens == 0 {
					return nil
				}
				return fmt.Errorf("the metadata of project %s hands service %s a token budget from another dspy_budget (%s = %q): a service takes its token budget from one budget. "+
					"Remove token_budget from that budget, or delete the keys %s and %s", project, service, ownerKey, it.GetValue(), key, ownerKey)
			}
			if it.GetKey() == key || it.GetKey() == ownerKey {
				had = true
				continue
			}
			items = append(items, it)
		}
		if tokens == 0 && !had {
			return nil
		}
		if tokens > 0 {
			items = append(items, &computepb.Items{Key: proto.String(key), Value: proto.String(strconv.FormatInt(tokens, 10))},
				&computepb.Items{Key: proto.String(ownerKey), Value: proto.String(mine)})
		}
		op, err := c.Projects.SetCommonInstanceMetadata(ctx, &computepb.SetCommonInstanceMetadataProjectRequest{Project: project,
			MetadataResource: &computepb.Metadata{Fingerprint: md.Fingerprint, Items: items}})
		if err == nil {
			err = c.wait(ctx, project, "", op.Proto())
		}
		if err == nil {
			return nil
		}
		if httpCode(err) != http.StatusPreconditionFailed || try == maxMetadataTries {
			return fmt.Errorf("handing the token budget to service %s (metadata of project %s): %w", service, project, err)
		}
		select { // another change won the fingerprint: read it again
		case <-time.After(time.Duration(try) * 200 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// handTokens writes b's token budget to its service, pushing its removal on undo.
func (a *BudgetAPI) handTokens(ctx context.Context, b *spec.Budget, owner string, undo *cloud.Undo) error {
	service, project, ok := tokenService(b.Scope.ServiceIDs)
	if !ok {
		return fmt.Errorf("a token budget on Google Cloud counts one service")
	}
	if err := a.setTokenMetadata(ctx, project, service, b.Name, owner, b.TokenBudget.MonthlyTokens); err != nil {
		return err
	}
	undo.Push("token budget of service "+service, func(ctx context.Context) error {
		return a.setTokenMetadata(ctx, project, service, b.Name, owner, 0)
	})
	return nil
}

// takeTokens removes the token budget the budget handed to the service (if it is the budget's).
func (a *BudgetAPI) takeTokens(ctx context.Context, services []string, budget, owner string) error {
	service, project, ok := tokenService(services)
	if !ok || owner == "" {
		return nil
	}
	return a.setTokenMetadata(ctx, project, service, budget, owner, 0)
}

// handedTokens is the token budget the budget handed to its service (0: none, or not the budget's).
func (a *BudgetAPI) handedTokens(ctx context.Context, services []string, budget, owner string) (int64, error) {
	service, project, ok := tokenService(services)
	if !ok || owner == "" {
		return 0, nil
	}
	value, by, err := a.tokenMetadata(ctx, project, service)
	if err != nil || by != tokenOwnerValue(budget, owner) {
		return 0, err
	}
	n, _ := strconv.ParseInt(value, 10, 64)
	return n, nil
}
