package spec

import (
	"regexp"
	"strings"
)

var (
	awsSecretRe   = regexp.MustCompile(`^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+|ssm:[a-z0-9-]+:\d{12}:parameter/[\w/.-]+)$`)
	gcpSecretRe   = regexp.MustCompile(`^projects/[a-z0-9-]+/secrets/[\w-]+(/versions/(latest|\d+))?$`)
	azureSecretRe = regexp.MustCompile(`^https://[a-zA-Z0-9-]{3,24}\.vault\.(azure\.net|usgovcloudapi\.net|azure\.cn)/secrets/[A-Za-z0-9-]+(/[0-9a-f]{32})?/?$`)

	// Prefixes of API keys issued by common LM vendors and platforms.
	keyPrefixes = []string{"sk-", "sk_", "sk-ant-", "sk-proj-", "AIza", "gsk_", "xai-", "hf_", "r8_", "pplx-", "ghp_", "github_pat_", "glpat-", "AKIA", "ASIA"}
	// A long run of key-like characters with no separators of a reference.
	opaqueTokenRe = regexp.MustCompile(`^[A-Za-z0-9_\-+=.]{20,}$`)
)

// secretRefExample shows a user what a reference looks like on a cloud.
var secretRefExample = map[Cloud]string{
	AWS:   "an AWS Secrets Manager ARN (arn:aws:secretsmanager:us-east-1:123456789012:secret:openai-key) or an SSM SecureString parameter ARN",
	GCP:   "a Secret Manager name (projects/my-project/secrets/openai-key, optionally /versions/N)",
	Azure: "a Key Vault secret URI (https://my-vault.vault.azure.net/secrets/openai-key)",
}

// IsSecretRef reports whether s is a reference to a secret in cloud c's secret store.
func IsSecretRef(c Cloud, s string) bool {
	switch c {
	case AWS:
		return awsSecretRe.MatchString(s)
	case GCP:
		return gcpSecretRe.MatchString(s)
	case Azure:
		return azureSecretRe.MatchString(s)
	}
	return false
}

// secretRefCloud returns the cloud whose secret store s refers to, if any.
func secretRefCloud(s string) (Cloud, bool) {
	for _, c := range Clouds {
		if IsSecretRef(c, s) {
			return c, true
		}
	}
	return "", false
}

// LooksLikePlaintextSecret reports whether s looks like a credential itself rather than a reference.
func LooksLikePlaintextSecret(s string) bool {
	for _, p := range keyPrefixes {
		if strings.HasPrefix(s, p) && len(s) >= len(p)+8 {
			return true
		}
	}
	if !opaqueTokenRe.MatchString(s) {
		return false
	}
	// Opaque tokens mix letters and digits; a long plain word or number is not one.
	var letters, digits bool
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits = true
		case r >= 'A' && r <= 'z':
			letters = true
		}
	}
	return letters && digits
}

// secretNameRe matches environment variable names that conventionally carry credentials.
var secretNameRe = regexp.MustCompile(`(?i)(api_?key|secret|token|password|passwd|credential|private_?key)`)

// checkSecretRef validates one secret reference attribute for cloud c.
func (p *problems) checkSecretRef(c Cloud, path Path, v string) {
	if v == "" {
		return
	}
	if LooksLikePlaintextSecret(v) {
		p.add(path, "Plaintext Secret Refused",
			"%s looks like a plaintext credential. It would be stored in Terraform state and in the instances' start-up data. Store the key in the cloud's secret store and give %s; the instances fetch it at boot with their own identity.",
			path, secretRefExample[c])
		return
	}
	if c == "" {
		return
	}
	if IsSecretRef(c, v) {
		return
	}
	if other, ok := secretRefCloud(v); ok {
		p.add(path, "Secret In Another Cloud",
			"%s refers to a secret in %s, but the service runs on %s, whose instances cannot read it. Give %s.",
			path, cloudTitle(other), cloudTitle(c), secretRefExample[c])
		return
	}
	p.add(path, "Invalid Secret Reference", "%s = %q is not a secret reference. Give %s.", path, v, secretRefExample[c])
}
