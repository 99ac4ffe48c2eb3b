package spec

import (
	"strings"
	"testing"
)

func TestImageRef(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, repo, tag, digest string }{
		{"ghcr.io/acme/qa-bot:1.4.2", "ghcr.io/acme/qa-bot", "1.4.2", ""},
		{"ghcr.io/acme/qa-bot", "ghcr.io/acme/qa-bot", "", ""},
		{"localhost:5000/qa-bot", "localhost:5000/qa-bot", "", ""},
		{"localhost:5000/qa-bot:2", "localhost:5000/qa-bot", "2", ""},
		{"qa-bot:latest", "qa-bot", "latest", ""},
		{"ghcr.io/acme/qa-bot@sha256:" + strings.Repeat("a", 64), "ghcr.io/acme/qa-bot", "", "sha256:" + strings.Repeat("a", 64)},
		{"ghcr.io/acme/qa-bot:latest@sha256:" + strings.Repeat("b", 64), "ghcr.io/acme/qa-bot", "latest", "sha256:" + strings.Repeat("b", 64)},
	} {
		repo, tag, digest := ImageRef(tc.in)
		if repo != tc.repo || tag != tc.tag || digest != tc.digest {
			t.Errorf("ImageRef(%q) = %q %q %q, want %q %q %q", tc.in, repo, tag, digest, tc.repo, tc.tag, tc.digest)
		}
	}
}

func TestServiceValidate_imageNeedsTagOrDigest(t *testing.T) {
	t.Parallel()
	for _, image := range []string{"ghcr.io/acme/qa-bot", "localhost:5000/qa-bot", "qa-bot"} {
		s := validAWSService()
		s.Container.Image = image
		assertProblem(t, s.Validate(), "container.image", `container.image = "`+image+`" has neither a tag nor a digest`)
	}
	for _, image := range []string{"ghcr.io/acme/qa-bot:1.4.2", "localhost:5000/qa-bot:2", "qa-bot:latest", "ghcr.io/acme/qa-bot@sha256:" + strings.Repeat("c", 64)} {
		s := validAWSService()
		s.Container.Image = image
		if ps := s.Validate(); len(ps) != 0 {
			t.Errorf("%s is pinned: %v", image, ps)
		}
	}
}

func TestImageLatestWarning(t *testing.T) {
	t.Parallel()
	if got := ImageLatestWarning("ghcr.io/acme/qa-bot:latest"); !strings.Contains(got, `container.image = "ghcr.io/acme/qa-bot:latest" uses the tag latest`) ||
		!strings.Contains(got, "ghcr.io/acme/qa-bot:1.0.0") {
		t.Errorf("latest: %q", got)
	}
	for _, image := range []string{"ghcr.io/acme/qa-bot:1.4.2", "ghcr.io/acme/qa-bot:latest@sha256:" + strings.Repeat("d", 64), "ghcr.io/acme/latest:1"} {
		if got := ImageLatestWarning(image); got != "" {
			t.Errorf("%s: no warning expected, got %q", image, got)
		}
	}
}
