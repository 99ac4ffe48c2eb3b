package provider

import "testing"

// TestAzurePremiumSizeRe: the sizes an Azure service can choose take premium storage.
func TestAzurePremiumSizeRe(t *testing.T) {
	t.Parallel()
	for size, premium := range map[string]bool{
		"Standard_D2s_v5": true, "Standard_D2as_v5": true, "Standard_D4ps_v5": true, "Standard_E8bds_v5": true, "Standard_B2ms": true,
		"Standard_M64-32ms": true, "Standard_DS2_v2": true, "Standard_D2_v5": false, "Standard_D2a_v4": false, "Standard_F2": false,
	} {
		if got := azurePremiumSizeRe.MatchString(size); got != premium {
			t.Errorf("%s: premium storage %v, want %v", size, got, premium)
		}
	}
}
