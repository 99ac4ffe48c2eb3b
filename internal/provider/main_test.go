package provider_test

import (
	"regexp"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }

var (
	regexpHex16       = regexp.MustCompile(`^[0-9a-f]{16}$`)
	regexpTargetGroup = regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:\d{12}:targetgroup/`)
)

var (
	regexpAnswered503 = regexp.MustCompile(`answered 503, expected 200`)
	regexpRefused     = regexp.MustCompile(`connection refused`)
)

var regexpPolicyARN = regexp.MustCompile(`^arn:aws:autoscaling:us-east-1:\d{12}:scalingPolicy:`)
