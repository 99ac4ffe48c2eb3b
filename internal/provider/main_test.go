package provider_test

import (
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }
