package azurefake

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"
)

// Recovery Services vaults and their backup storage configuration, as the Microsoft.RecoveryServices
// REST reference describes them: a vault needs a location and an RS0/Standard sku; its create is
// long-running and its delete synchronous (200, api-version 2023-04-01); a vault holding protected
// items (soft-deleted ones included) or registered containers cannot be deleted
// (ServiceResourceNotEmpty); soft delete is on unless the vault says Disabled, and AlwaysON cannot
// be turned off. The storage redundancy is locked once the first item is protected
// (StorageModelModifyError), and Cross Region Restore needs geo-redundant storage.

const (
	recoveryServicesModule = "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	backupModule           = "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"
	vaultType              = "Microsoft.RecoveryServices/vaults"
	// softDeleteDays is how long a soft-deleted backup item stays (the default and minimum).
	softDeleteDays = 14
)

var (
	vaultAPIVersions  = []string{"2023-04-01", "2024-04-01"}
	backupAPIVersions = []string{"2023-04-01", "2024-04-01"}
	vaultNameRE       = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]{1,49}$`)
)

func init() {
	register(&kind{
		typeName: vaultType, apiVersions: vaultAPIVersions, lro: true, syncDelete: true,
		newModel: func() any { return &armrecoveryservices.Vault{} }, modelName: "Vault", enumModule: recoveryServicesModule,
		nameRule: func(name string) *armError {
			if !vaultNameRE.MatchString(name) {
				return errorf(http.StatusBadRequest, "BadRequest", "Vault name '%s' is invalid: it must be 2 to 50 characters, start with a letter and contain only letters, numbers and hyphens.", name)
			}
			return nil
		},
		validate: func(_ *Fake, _ *request, model any, old *object) *armError {
			return checkVault(model.(*armrecoveryservices.Vault), old)
		},
		render: func(f *Fake, o *object, m map[string]any, _ time.Time) {
			props := m["properties"].(map[string]any)
			cfg := f.storageConfig(o.id)
			crr := "Disabled"
			if cfg.CrossRegionRestoreFlag != nil && *cfg.CrossRegionRestoreFlag {
				crr = "Enabled"
			}
			props["redundancySettings"] = map[string]any{"standardTierStorageRedundancy": string(*cfg.StorageType), "crossRegionRestore": crr}
			state, days := softDelete(o)
			props["securitySettings"] = map[string]any{"softDeleteSettings": map[string]any{"softDeleteState": string(state), "softDeleteRetentionPeriodInDays": days}}
			props["backupStorageVersion"] = "V2"
		},
		inUse: func(f *Fake, o *object) string {
			items, soft := 0, 0
			for _, it := range f.under(o.id, protectedItemKind) {
				if itemSoftDeleted(it) {
					soft++
				} else {
					items++
				}
			}
			switch {
			case items > 0:
				return "ServiceResourceNotEmpty: Vault cannot be deleted as there are existing resources within the vault: " + itoa(items) + " backup items are protected. Stop their protection and delete their backup data first"
			case soft > 0:
				return "ServiceResourceNotEmpty: Recovery Services vault cannot be deleted as there are backup items in soft deleted state in the vault. The soft deleted items are permanently deleted after 14 days of delete operation"
			case len(f.under(o.id, containerKind)) > 0:
				return "ServiceResourceNotEmpty: Vault cannot be deleted as there are existing resources within the vault. Unregister the containers associated with this vault before proceeding for deletion"
			}
			return ""
		},
		gone: func(f *Fake, o *object, _ time.Time) {
			prefix := strings.ToLower(o.id) + "/"
			for id := range f.objects {
				if strings.HasPrefix(id, prefix) {
					delete(f.objects, id)
				}
			}
		},
	})
	storageConfigKind.serve = serveStorageConfig
	register(storageConfigKind)
}

func checkVault(v *armrecoveryservices.Vault, old *object) *armError {
	switch {
	case v.Location == nil || *v.Location == "":
		return errorf(http.StatusBadRequest, "LocationRequired", "The location property is required for this definition.")
	case v.SKU == nil || v.SKU.Name == nil:
		return invalidParameter("sku.name", "A vault needs a sku: RS0 or Standard.")
	}
	var sd *armrecoveryservices.SoftDeleteSettings
	if v.Properties != nil && v.Properties.SecuritySettings != nil {
		sd = v.Properties.SecuritySettings.SoftDeleteSettings
	}
	if sd != nil && sd.SoftDeleteRetentionPeriodInDays != nil && (*sd.SoftDeleteRetentionPeriodInDays < 14 || *sd.SoftDeleteRetentionPeriodInDays > 180) {
		return invalidParameter("properties.securitySettings.softDeleteSettings.softDeleteRetentionPeriodInDays", "The soft delete retention period is 14 to 180 days.")
	}
	if old != nil {
		prev := old.model.(*armrecoveryservices.Vault)
		if !strings.EqualFold(*prev.Location, *v.Location) {
			return errorf(http.StatusBadRequest, "InvalidResourceLocation", "The resource '%s' already exists in location '%s'; it cannot be moved to '%s'.", old.name(), *prev.Location, *v.Location)
		}
		if was, _ := softDelete(old); was == armrecoveryservices.SoftDeleteStateAlwaysON && (sd == nil || sd.SoftDeleteState == nil || *sd.SoftDeleteState != was) {
			return errorf(http.StatusBadRequest, "BadRequest", "Soft delete is always on for vault '%s' and cannot be disabled.", old.name())
		}
	}
	return nil
}

// softDelete is a vault's soft delete state and retention (Enabled for 14 days unless it says otherwise).
func softDelete(vault *object) (armrecoveryservices.SoftDeleteState, int32) {
	state, days := armrecoveryservices.SoftDeleteStateEnabled, int32(softDeleteDays)
	v := vault.model.(*armrecoveryservices.Vault)
	if v.Properties != nil && v.Properties.SecuritySettings != nil && v.Properties.SecuritySettings.SoftDeleteSettings != nil {
		sd := v.Properties.SecuritySettings.SoftDeleteSettings
		if sd.SoftDeleteState != nil {
			state = *sd.SoftDeleteState
		}
		if sd.SoftDeleteRetentionPeriodInDays != nil {
			days = *sd.SoftDeleteRetentionPeriodInDays
		}
	}
	return state, days
}

// storageConfigKind is a vault's backup storage configuration (backupstorageconfig/vaultstorageconfig):
// GET, PUT (answered 200 with the configuration) and PATCH (204).
var storageConfigKind = &kind{
	typeName: vaultType + "/backupstorageconfig", apiVersions: backupAPIVersions, modelName: "BackupResourceConfigResource", enumModule: backupModule,
	newModel: func() any { return &armrecoveryservicesbackup.BackupResourceConfigResource{} },
}

func serveStorageConfig(f *Fake, rq *request, collection bool) (int, any, map[string]string, *armError) {
	vault, e := f.vaultOf(rq)
	if e != nil {
		return 0, nil, nil, e
	}
	if collection || !strings.EqualFold(rq.p.names[1], "vaultstorageconfig") {
		return 0, nil, nil, errorf(http.StatusNotFound, "NotFound", "The backup storage configuration is served at %s/backupstorageconfig/vaultstorageconfig.", vault.id)
	}
	switch rq.r.Method {
	case http.MethodGet:
		return http.StatusOK, f.renderStorageConfig(vault.id), nil, nil
	case http.MethodPut, http.MethodPatch:
	default:
		return 0, nil, nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "%s is not allowed on %s.", rq.r.Method, rq.kind.typeName)
	}
	enums, err := rq.kind.enumTable()
	if err != nil {
		return 0, nil, nil, errorf(http.StatusInternalServerError, "InternalServerError", "azurefake: %v", err)
	}
	in := &armrecoveryservicesbackup.BackupResourceConfigResource{}
	if err := decodeStrict(rq.body, in, enums, rq.kind.modelName); err != nil {
		return 0, nil, nil, asARM(err)
	}
	if in.Properties == nil {
		return 0, nil, nil, invalidParameter("properties", "The backup storage configuration needs properties.")
	}
	cur := f.storageConfig(vault.id)
	next := *cur
	if t := in.Properties.StorageModelType; t != nil {
		next.StorageType = t
	}
	if t := in.Properties.StorageType; t != nil {
		next.StorageType = t
	}
	if c := in.Properties.CrossRegionRestoreFlag; c != nil {
		next.CrossRegionRestoreFlag = c
	}
	if *next.StorageType != *cur.StorageType && f.storageLocked(vault.id) {
		return 0, nil, nil, errorf(http.StatusBadRequest, "StorageModelModifyError", "Storage Redundancy option is locked when the first machine is registered with the vault, and cannot be modified thereafter.")
	}
	switch *next.StorageType {
	case armrecoveryservicesbackup.StorageTypeGeoRedundant, armrecoveryservicesbackup.StorageTypeLocallyRedundant, armrecoveryservicesbackup.StorageTypeZoneRedundant:
	default:
		return 0, nil, nil, invalidParameter("properties.storageType", "'%s' is not a storage type a vault takes: GeoRedundant, LocallyRedundant or ZoneRedundant.", *next.StorageType)
	}
	if *next.CrossRegionRestoreFlag && *next.StorageType != armrecoveryservicesbackup.StorageTypeGeoRedundant {
		return 0, nil, nil, errorf(http.StatusBadRequest, "BMSUserErrorInvalidInput", "Cross Region Restore can be enabled only on a vault with GeoRedundant storage.")
	}
	id := vault.id + "/backupstorageconfig/vaultstorageconfig"
	f.objects[strings.ToLower(id)] = &object{id: id, kind: storageConfigKind, state: "Succeeded", created: rq.now,
		model: &armrecoveryservicesbackup.BackupResourceConfigResource{Properties: &next}}
	if rq.r.Method == http.MethodPatch {
		return http.StatusNoContent, nil, nil, nil
	}
	return http.StatusOK, f.renderStorageConfig(vault.id), nil, nil
}

// storageConfig is a vault's storage configuration: geo-redundant, without Cross Region Restore,
// until it is changed.
func (f *Fake) storageConfig(vaultID string) *armrecoveryservicesbackup.BackupResourceConfig {
	if o := f.objects[strings.ToLower(vaultID+"/backupstorageconfig/vaultstorageconfig")]; o != nil {
		return o.model.(*armrecoveryservicesbackup.BackupResourceConfigResource).Properties
	}
	return &armrecoveryservicesbackup.BackupResourceConfig{StorageType: ptr(armrecoveryservicesbackup.StorageTypeGeoRedundant), CrossRegionRestoreFlag: ptr(false)}
}

// storageLocked: the redundancy cannot change once a container is registered (an item protected).
func (f *Fake) storageLocked(vaultID string) bool {
	return len(f.under(vaultID, containerKind)) > 0 || len(f.under(vaultID, protectedItemKind)) > 0
}

func (f *Fake) renderStorageConfig(vaultID string) map[string]any {
	cfg := *f.storageConfig(vaultID)
	cfg.StorageModelType = cfg.StorageType
	cfg.StorageTypeState = ptr(armrecoveryservicesbackup.StorageTypeStateUnlocked)
	if f.storageLocked(vaultID) {
		cfg.StorageTypeState = ptr(armrecoveryservicesbackup.StorageTypeStateLocked)
	}
	buf, _ := json.Marshal(cfg)
	props := map[string]any{}
	_ = json.Unmarshal(buf, &props)
	return map[string]any{"id": vaultID + "/backupstorageconfig/vaultstorageconfig", "name": "vaultstorageconfig", "type": storageConfigKind.typeName, "properties": props}
}

// vaultOf is the vault a request under …/vaults/{name} is for (ARM's 404 when it does not exist).
func (f *Fake) vaultOf(rq *request) (*object, *armError) {
	id := rq.p.groupID() + "/providers/Microsoft.RecoveryServices/vaults/" + rq.p.names[0]
	if o := f.objects[strings.ToLower(id)]; o != nil && o.state != "Creating" {
		return o, nil
	}
	return nil, errorf(http.StatusNotFound, "ResourceNotFound", "The Resource '%s/%s' under resource group '%s' was not found.", vaultType, rq.p.names[0], rq.p.group)
}

// under lists the objects of kind k whose ids are under parent.
func (f *Fake) under(parent string, k *kind) []*object {
	prefix := strings.ToLower(parent) + "/"
	var out []*object
	for id, o := range f.objects {
		if o.kind == k && strings.HasPrefix(id, prefix) {
			out = append(out, o)
		}
	}
	return out
}
