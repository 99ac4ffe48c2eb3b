package cloud

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// OwnerTagKey is the tag (label) every object a resource creates carries, with the resource's owner
// token as its value. The provider deletes or adopts an object only when it carries the token of the
// resource at hand: a name never proves ownership, because another state may use the same name.
const OwnerTagKey = "dspy:owner"

// NativeOwner is the key of the owner token in a resource's native map.
const NativeOwner = "owner_token"

// NewOwnerToken returns a fresh random owner token (16 hex digits).
func NewOwnerToken() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("reading random bytes: %v", err))
	}
	return hex.EncodeToString(b[:])
}

// NameTakenError says a create met an object of the same name that this resource cannot prove it
// owns: another Terraform state (workspace), another resource of this configuration, or something
// made outside Terraform. Nothing of the other owner's is touched.
type NameTakenError struct {
	// Attribute is the resource attribute the name comes from ("name").
	Attribute string
	Name      string
	// Object says what holds the name ("Auto Scaling group", "launch template" …) and where.
	Object string
	// ImportID is the id to import the existing object with, when it can be imported.
	ImportID string
}

func (e *NameTakenError) Error() string {
	msg := fmt.Sprintf("the %s %q is already taken: %s exists and was not created by this resource "+
		"(another Terraform state or workspace, another resource with the same %s, or a change outside Terraform). "+
		"Nothing of it was changed. Choose another %s", e.Attribute, e.Name, e.Object, e.Attribute, e.Attribute)
	if e.ImportID != "" {
		msg += fmt.Sprintf(", or, if this configuration should manage it, import it (terraform import <address> %s)", e.ImportID)
	}
	return msg + "."
}

// NotOwnedError says that the object a resource's state names now carries another owner token (or
// none): it was deleted outside Terraform and its name taken again, by another Terraform state or by
// hand. A delete leaves it, and whatever is known only by its name, untouched.
type NotOwnedError struct {
	// Object says what holds the name ("the AWS Budgets budget qa-monthly" …).
	Object string
}

func (e *NotOwnedError) Error() string {
	return fmt.Sprintf("%s does not carry this resource's owner token: it was deleted outside Terraform and its name was taken again "+
		"(another Terraform state or workspace, or a change outside Terraform). Nothing of it was changed", e.Object)
}
