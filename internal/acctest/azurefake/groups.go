package azurefake

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
)

// Resource groups: PUT is synchronous and needs a location; DELETE is long-running and takes every
// resource of the group with it, as ARM does.

const resourcesModule = "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"

var groupNameRE = regexp.MustCompile(`^[-\w._()]{1,90}$`)

func init() {
	register(&kind{
		typeName: "Microsoft.Resources/resourceGroups", apiVersions: []string{"2021-04-01", "2022-09-01", "2024-03-01"},
		newModel: func() any { return &armresources.ResourceGroup{} }, modelName: "ResourceGroup", enumModule: resourcesModule, lro: false,
		nameRule: func(name string) *armError {
			if !groupNameRE.MatchString(name) || strings.HasSuffix(name, ".") {
				return errorf(http.StatusBadRequest, "InvalidResourceGroupName",
					"Resource group names only allow up to 90 characters: alphanumeric, underscores, parentheses, hyphens and periods (not at the end); '%s' is not one.", name)
			}
			return nil
		},
		validate: func(_ *Fake, _ *request, model any, old *object) *armError {
			g := model.(*armresources.ResourceGroup)
			if g.Location == nil || *g.Location == "" {
				return errorf(http.StatusBadRequest, "LocationRequired", "The location property is required for this definition.")
			}
			if old != nil && !strings.EqualFold(*old.model.(*armresources.ResourceGroup).Location, *g.Location) {
				return errorf(http.StatusConflict, "InvalidResourceGroupLocation",
					"Invalid resource group location '%s'. The Resource group already exists in location '%s'.", *g.Location, *old.model.(*armresources.ResourceGroup).Location)
			}
			return nil
		},
	})
}

// AddResourceGroup makes a resource group as a user would before applying (the test bed's
// counterpart of AWS's default VPC).
func (f *Fake) AddResourceGroup(name, location string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := "/subscriptions/" + Subscription + "/resourceGroups/" + name
	f.objects[strings.ToLower(id)] = &object{id: id, kind: kindOf("Microsoft.Resources/resourceGroups"), state: "Succeeded",
		model: &armresources.ResourceGroup{Location: &location}}
}
