package azurefake

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/msi/armmsi"
)

// User-assigned managed identities (Microsoft.ManagedIdentity/userAssignedIdentities), and the
// identities of scale sets. An identity is synchronous: PUT answers 201 on create and 200 on
// update, DELETE 200 (204 when it is missing). Its principalId, clientId and tenantId are output
// only, fixed for the object's life. A scale set whose identity type includes UserAssigned must
// list identities that exist; deleting an identity a scale set uses is allowed, as in Azure.

const (
	msiModule    = "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/msi/armmsi"
	identityType = "Microsoft.ManagedIdentity/userAssignedIdentities"
)

var (
	msiAPIVersions = []string{"2023-01-31", "2024-11-30"}
	identityNameRE = regexp.MustCompile(`^[a-zA-Z0-9][-\w]{2,127}$`)
	// identityIDRE is a user-assigned identity's resource id.
	identityIDRE = regexp.MustCompile(`(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.ManagedIdentity/userAssignedIdentities/[^/]+$`)
)

var identityKind = &kind{
	typeName: identityType, apiVersions: msiAPIVersions, syncDelete: true, patch: true,
	newModel: func() any { return &armmsi.Identity{} }, modelName: "Identity", enumModule: msiModule,
	nameRule: func(name string) *armError {
		if !identityNameRE.MatchString(name) {
			return errorf(http.StatusBadRequest, "InvalidResourceName",
				"The resource name '%s' is invalid: 3 to 128 letters, digits, hyphens and underscores, starting with a letter or digit.", name)
		}
		return nil
	},
	validate: func(_ *Fake, rq *request, model any, old *object) *armError {
		id := model.(*armmsi.Identity)
		if id.Location == nil || *id.Location == "" {
			return errorf(http.StatusBadRequest, "LocationRequired", "The location property is required for this definition.")
		}
		if old != nil {
			if was := locationOf(old); !strings.EqualFold(was, *id.Location) {
				return errorf(http.StatusBadRequest, "InvalidResourceLocation",
					"The resource '%s' already exists in location '%s' in resource group '%s'. A resource with the same name cannot be created in location '%s'.",
					old.name(), was, rq.p.group, *id.Location)
			}
		}
		return nil
	},
	render: func(_ *Fake, o *object, m map[string]any, _ time.Time) {
		principal, client := identityIDs(o)
		// The properties are all output only (a body's copy of them is ignored); there is no
		// provisioningState.
		m["properties"] = map[string]any{"principalId": principal, "clientId": client, "tenantId": Tenant}
	},
}

func init() { register(identityKind) }

// objectGUID is a GUID fixed for the object o (its id and creation time) and the purpose salt: an
// object made again under the same name gets new ones, as Azure's would.
func objectGUID(o *object, salt string) string {
	h := sha256.Sum256([]byte(strings.ToLower(o.id) + "\x00" + o.created.UTC().Format(time.RFC3339Nano) + "\x00" + salt))
	h[6] = h[6]&0x0f | 0x40 // version 4
	h[8] = h[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// identityIDs are a user-assigned identity's principal (service principal object) id and client
// (application) id.
func identityIDs(o *object) (principal, client string) {
	return objectGUID(o, "principal"), objectGUID(o, "client")
}

// AddIdentity makes a user-assigned managed identity, as a user would before applying, and returns
// its resource id.
func (f *Fake) AddIdentity(group, name, location string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := "/subscriptions/" + Subscription + "/resourceGroups/" + group + "/providers/" + identityType + "/" + name
	f.objects[strings.ToLower(id)] = &object{id: id, kind: identityKind, state: "Succeeded", created: time.Now(), model: &armmsi.Identity{Location: &location}}
	return id
}

// identityTypes reads a scale set's identity type (case-insensitively, as the enum check accepts
// it): whether it has a system-assigned identity, and user-assigned ones.
func identityTypes(id *armcompute.VirtualMachineScaleSetIdentity) (system, user bool) {
	if id == nil || id.Type == nil {
		return false, false
	}
	for _, t := range strings.Split(string(*id.Type), ",") {
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "systemassigned":
			system = true
		case "userassigned":
			user = true
		}
	}
	return system, user
}

// checkScaleSetIdentity refuses what Azure refuses of a scale set's identity: user-assigned
// identities without the type that takes them, that type without any, and an identity that is not
// a user-assigned identity's id or does not exist.
func (f *Fake) checkScaleSetIdentity(scaleSetID string, ss *armcompute.VirtualMachineScaleSet) *armError {
	id := ss.Identity
	if id == nil {
		return nil
	}
	_, user := identityTypes(id)
	switch {
	case user && len(id.UserAssignedIdentities) == 0:
		return invalidParameter("identity.userAssignedIdentities", "An identity of type '%s' must list at least one user-assigned identity.", *id.Type)
	case !user && len(id.UserAssignedIdentities) > 0:
		t := "(none)"
		if id.Type != nil {
			t = string(*id.Type)
		}
		return invalidParameter("identity.userAssignedIdentities",
			"User-assigned identities can only be given with the identity type 'UserAssigned' or 'SystemAssigned, UserAssigned', not '%s'.", t)
	}
	for _, ref := range slices.Sorted(maps.Keys(id.UserAssignedIdentities)) {
		if !identityIDRE.MatchString(ref) {
			return errorf(http.StatusBadRequest, "LinkedInvalidPropertyId",
				"Property id '%s' at path 'identity.userAssignedIdentities' is invalid. Expect a fully qualified user-assigned identity resource id: /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{identityName}.", ref)
		}
		if o := f.objects[strings.ToLower(ref)]; o == nil || o.kind != identityKind {
			return errorf(http.StatusBadRequest, "FailedIdentityOperation",
				"Identity operation for resource '%s' failed: the user-assigned identity '%s' was not found.", scaleSetID, ref)
		}
	}
	return nil
}

// renderScaleSetIdentity puts the output-only parts of a scale set's identity in its rendered m:
// principalId and tenantId of the system-assigned identity, and each user-assigned identity's
// principalId and clientId as the identity object has them (an identity deleted since answers
// neither).
func (f *Fake) renderScaleSetIdentity(o *object, m map[string]any) {
	ss := o.model.(*armcompute.VirtualMachineScaleSet)
	im, _ := m["identity"].(map[string]any)
	if ss.Identity == nil || im == nil {
		return
	}
	delete(im, "principalId")
	delete(im, "tenantId")
	system, _ := identityTypes(ss.Identity)
	if system {
		im["principalId"], im["tenantId"] = objectGUID(o, "system-assigned"), Tenant
	}
	if len(ss.Identity.UserAssignedIdentities) == 0 {
		return
	}
	users := map[string]any{}
	for ref := range ss.Identity.UserAssignedIdentities {
		v := map[string]any{}
		if ident := f.objects[strings.ToLower(ref)]; ident != nil && ident.kind == identityKind {
			v["principalId"], v["clientId"] = identityIDs(ident)
		}
		users[ref] = v
	}
	im["userAssignedIdentities"] = users
}
