package azure

import (
	"regexp"
	"strings"
)

// Names of a backup schedule's objects. The vault is in the service's resource group and named
// after the service: Recovery Services vault names are 2 to 50 letters, digits and hyphens starting
// with a letter, and service names (1 to 32 lowercase letters, digits and hyphens) may start with a
// digit, hence the prefix.

// BackupVaultName is the service's Recovery Services vault.
func BackupVaultName(service string) string { return "dspy-" + service + "-backup" }

// BackupPolicyName is the VM backup policy in the vault.
func BackupPolicyName(service string) string { return service + "-vm" }

// BackupFabric is the backup fabric that holds Azure VMs.
const BackupFabric = "Azure"

var vaultNameRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]{1,49}$`)

// ValidVaultName reports whether name is one Recovery Services accepts for a vault.
func ValidVaultName(name string) bool { return vaultNameRE.MatchString(name) }

// BackupVaultID is the resource id of a service's vault.
func BackupVaultID(subscription, group, service string) string {
	return ResourceGroupID(subscription, group) + "/providers/Microsoft.RecoveryServices/vaults/" + BackupVaultName(service)
}

// BackupPolicyID is the resource id of a service's VM backup policy.
func BackupPolicyID(subscription, group, service string) string {
	return BackupVaultID(subscription, group, service) + "/backupPolicies/" + BackupPolicyName(service)
}

// BackupContainerName is the protection container of an Azure VM (iaasvmcontainer;iaasvmcontainerv2;{rg};{vm}).
func BackupContainerName(group, vm string) string {
	return "iaasvmcontainer;iaasvmcontainerv2;" + group + ";" + vm
}

// BackupItemName is the protected item of an Azure VM (vm;iaasvmcontainerv2;{rg};{vm}).
func BackupItemName(group, vm string) string { return "vm;iaasvmcontainerv2;" + group + ";" + vm }

// idPart is the segment after key in a resource id ("" when absent), matched case-insensitively.
func idPart(id, key string) string {
	seg := strings.Split(id, "/")
	for i := 0; i+1 < len(seg); i++ {
		if strings.EqualFold(seg[i], key) {
			return seg[i+1]
		}
	}
	return ""
}
