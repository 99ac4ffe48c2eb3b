package cloud

// UserAgent is the product list the provider sends ahead of the SDKs' in every cloud call's
// User-Agent header, the form the official providers use:
//
//	Terraform/1.11.4 (+https://www.terraform.io) terraform-provider-dspy/0.4.0
//
// A Terraform version that is not known ("": every Terraform speaking protocol 6 sends it, a bare
// test harness may not) is "unknown"; a provider built without a version is "dev".
func UserAgent(providerVersion, terraformVersion string) string {
	if terraformVersion == "" {
		terraformVersion = "unknown"
	}
	if providerVersion == "" {
		providerVersion = "dev"
	}
	return "Terraform/" + terraformVersion + " (+https://www.terraform.io) terraform-provider-dspy/" + providerVersion
}
