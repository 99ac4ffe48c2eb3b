package spec

import (
	"fmt"
	"strings"
)

// ImageRef splits a container image reference into its repository, tag and digest. The tag is what
// follows the last ':' after the last '/', so a registry port (localhost:5000/app) is not a tag.
func ImageRef(image string) (repository, tag, digest string) {
	rest := image
	if r, d, ok := strings.Cut(rest, "@"); ok {
		rest, digest = r, d
	}
	slash := strings.LastIndex(rest, "/")
	if i := strings.LastIndex(rest, ":"); i > slash {
		rest, tag = rest[:i], rest[i+1:]
	}
	return rest, tag, digest
}

// imagePinProblem explains why an image reference without a tag or digest is refused ("" when it
// has one). Docker reads such a reference as :latest.
func imagePinProblem(image string) string {
	repo, tag, digest := ImageRef(image)
	if tag != "" || digest != "" {
		return ""
	}
	return fmt.Sprintf("container.image = %q has neither a tag nor a digest, so every instance would pull whatever :latest is when it starts. "+
		"Give a version tag (%s:1.0.0) or a digest (%s@sha256:…); the image is part of the start-up hash, so changing it rolls the instances.", image, repo, repo)
}

// ImageLatestWarning warns about an image pinned only by the moving tag latest ("" otherwise): a
// new push under the same tag changes nothing Terraform can see, so no rollout happens, and
// instances started at different times (scale-out, repair) run different builds.
func ImageLatestWarning(image string) string {
	repo, tag, digest := ImageRef(image)
	if tag != "latest" || digest != "" {
		return ""
	}
	return fmt.Sprintf("container.image = %q uses the tag latest, which moves: pushing a new image changes nothing in the configuration, so no rollout happens, "+
		"and instances started at different times (scale-out, repair) run different builds. Pin a version tag (%s:1.0.0) or a digest (%s@sha256:…).", image, repo, repo)
}
