package azurefake

import (
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
)

// Monitor action groups (Microsoft.Insights/actionGroups), as the Action Groups REST reference
// describes them: PUT is synchronous (200 or 201) and needs a location, enabled and a short name
// of at most 12 characters; receivers need names unique within the group and email receivers an
// address; GET shows each email receiver's status. DELETE is synchronous and, as on Azure, not
// refused while a budget or a metric alert still names the group (their notifications then go
// nowhere).

// alertsModule is the SDK module of the Monitor models (action groups, metric alerts).
const alertsModule = "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"

var (
	actionGroupNameRE = regexp.MustCompile(`^[^%&:\\?/<>*#|]{1,260}$`)
	actionGroupIDRE   = regexp.MustCompile(`(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/microsoft\.insights/actionGroups/[^/]+$`)
	emailRE           = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// Limits of an action group from the REST reference.
const (
	maxShortName      = 12
	maxEmailReceivers = 1000
)

func init() {
	register(&kind{
		typeName: "Microsoft.Insights/actionGroups", apiVersions: []string{"2021-09-01", "2022-06-01", "2023-01-01", "2024-10-01-preview"},
		newModel: func() any { return &armmonitor.ActionGroupResource{} }, modelName: "ActionGroupResource", enumModule: alertsModule,
		syncDelete: true,
		nameRule: func(name string) *armError {
			if !actionGroupNameRE.MatchString(name) || strings.HasSuffix(name, ".") || strings.HasSuffix(name, " ") {
				return errorf(http.StatusBadRequest, "InvalidResourceName", "The action group name '%s' is invalid: 1 to 260 characters, none of %%&:\\?/<>*#|, not ending with a period or a space.", name)
			}
			return nil
		},
		validate: func(_ *Fake, _ *request, model any, _ *object) *armError {
			return checkActionGroup(model.(*armmonitor.ActionGroupResource))
		},
		render: func(_ *Fake, _ *object, m map[string]any, _ time.Time) {
			props := m["properties"].(map[string]any)
			delete(props, "provisioningState") // an action group has none
			if rs, ok := props["emailReceivers"].([]any); ok {
				for _, r := range rs {
					if rm, ok := r.(map[string]any); ok {
						rm["status"] = "Enabled"
					}
				}
			}
		},
	})
}

func checkActionGroup(g *armmonitor.ActionGroupResource) *armError {
	switch {
	case g.Location == nil || *g.Location == "":
		return errorf(http.StatusBadRequest, "LocationRequired", "The location property is required for this definition.")
	case g.Properties == nil:
		return invalidParameter("properties", "The properties of an action group are required.")
	case g.Properties.GroupShortName == nil || *g.Properties.GroupShortName == "" || len(*g.Properties.GroupShortName) > maxShortName:
		return invalidParameter("properties.groupShortName", "The short name is required and has at most %d characters.", maxShortName)
	case g.Properties.Enabled == nil:
		return invalidParameter("properties.enabled", "enabled is required.")
	case len(g.Properties.EmailReceivers) > maxEmailReceivers:
		return invalidParameter("properties.emailReceivers", "An action group has at most %d email receivers.", maxEmailReceivers)
	}
	names := map[string]bool{}
	for _, n := range receiverNames(g.Properties) {
		if n == "" {
			return invalidParameter("properties", "Every receiver needs a name.")
		}
		if names[strings.ToLower(n)] {
			return invalidParameter("properties", "The receiver name '%s' is used twice; receiver names are unique within an action group.", n)
		}
		names[strings.ToLower(n)] = true
	}
	for _, r := range g.Properties.EmailReceivers {
		if r.EmailAddress == nil || !emailRE.MatchString(*r.EmailAddress) {
			return invalidParameter("properties.emailReceivers.emailAddress", "'%s' is not an email address.", deref(r.EmailAddress))
		}
	}
	return nil
}

// receiverNames are the names of the receivers the fake knows (email, SMS, webhook).
func receiverNames(p *armmonitor.ActionGroup) []string {
	var out []string
	for _, r := range p.EmailReceivers {
		out = append(out, deref0(r.Name))
	}
	for _, r := range p.SmsReceivers {
		out = append(out, deref0(r.Name))
	}
	for _, r := range p.WebhookReceivers {
		out = append(out, deref0(r.Name))
	}
	return out
}

func deref0(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
