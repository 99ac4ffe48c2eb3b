// Command terraform-provider-dspy serves the dspy Terraform provider (protocol 6).
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/dspyops/terraform-provider-dspy/internal/provider"
)

// Set by goreleaser at release time (-X main.version=… -X main.commit=…).
var (
	version = "dev"
	commit  = "none"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/dspyops/dspy"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider in debug mode for debuggers such as delve; prints TF_REATTACH_PROVIDERS to use")
	flag.Parse()

	quietUnlessLogging()
	stopProfile := startProfile()
	err := providerserver.Serve(context.Background(), provider.New(version+"+"+commit), providerserver.ServeOpts{
		Address:         Address,
		Debug:           debug,
		ProtocolVersion: 6,
	})
	stopProfile()
	if err != nil {
		log.Fatal(err.Error())
	}
}
