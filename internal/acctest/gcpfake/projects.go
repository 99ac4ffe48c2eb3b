package gcpfake

import (
	"hash/fnv"
	"net/http"
	"regexp"
	"time"

	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/protobuf/proto"
)

// Projects (projects.get and projects.setCommonInstanceMetadata) and global operations. Every
// project the fake is asked for exists, with a stable number and empty common metadata. Setting
// metadata needs the current fingerprint (412 conditionNotMet otherwise, as the API answers a
// stale one), refuses duplicate and malformed keys, and takes effect when its global operation is
// DONE. Projects are not objects a test leaves behind: Objects lists the metadata keys instead
// (kind compute#metadataItem), so a check that nothing is left also sees a key left there.

var metadataKeyRE = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)

const maxMetadataValue = 256 << 10

// project is one project's state.
type project struct {
	obj      *object // the operation target (never in Fake.objects)
	number   uint64
	metadata *computepb.Metadata
}

// projectOf returns project p, made on first use (the lock is held).
func (f *Fake) projectOf(p string) *project {
	if pr := f.projects[p]; pr != nil {
		return pr
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(p))
	pr := &project{obj: &object{path: "projects/" + p, name: p, scope: scope{project: p}}, number: 100000000000 + h.Sum64()%900000000000,
		metadata: &computepb.Metadata{Kind: proto.String("compute#metadata"), Fingerprint: proto.String(f.newFingerprint())}}
	f.projects[p] = pr
	return pr
}

var projectRoutes = map[string]*route{
	"get":                       {httpMethod: http.MethodGet, handle: handleProjectGet},
	"setCommonInstanceMetadata": {httpMethod: http.MethodPost, params: []string{"requestId"}, handle: handleSetCommonMetadata},
}

var globalOperationRoutes = map[string]*route{
	"get":  {httpMethod: http.MethodGet, handle: handleOperationGet},
	"wait": {httpMethod: http.MethodPost},
}

// projectRoute maps projects/P[/setCommonInstanceMetadata] and projects/P/global/operations/….
func projectRoute(r *http.Request, rq *request, seg []string) (*request, *route, error) {
	switch {
	case len(seg) == 1:
		return finishRoute(r, rq, "get", "projects", projectRoutes)
	case len(seg) == 2 && seg[1] == "setCommonInstanceMetadata":
		return finishRoute(r, rq, "setCommonInstanceMetadata", "projects", projectRoutes)
	case len(seg) >= 3 && seg[1] == "global" && seg[2] == "operations":
		rest := seg[3:]
		verb := "list"
		switch {
		case len(rest) == 1 && r.Method == http.MethodGet:
			verb = "get"
		case len(rest) == 2 && rest[1] == "wait":
			verb = "wait"
		}
		if len(rest) > 0 {
			rq.name = rest[0]
		}
		return finishRoute(r, rq, verb, "globalOperations", globalOperationRoutes)
	}
	return rq, nil, errorf(http.StatusNotImplemented, reasonNotImpl, "gcpfake: %s %s is not implemented", r.Method, r.URL.Path)
}

func handleProjectGet(f *Fake, rq *request) (any, error) {
	pr := f.projectOf(rq.scope.project)
	return &computepb.Project{Kind: proto.String("compute#project"), Name: proto.String(rq.scope.project), Id: proto.Uint64(pr.number),
		SelfLink: proto.String(f.link("projects/" + rq.scope.project)), CommonInstanceMetadata: proto.Clone(pr.metadata).(*computepb.Metadata)}, nil
}

func handleSetCommonMetadata(f *Fake, rq *request) (any, error) {
	if op, err := f.replay(rq); op != nil || err != nil {
		return op, err
	}
	md := &computepb.Metadata{}
	if err := f.decodeBody(rq, md, "Metadata"); err != nil {
		return nil, err
	}
	pr := f.projectOf(rq.scope.project)
	if md.GetFingerprint() != pr.metadata.GetFingerprint() {
		return nil, errorf(http.StatusPreconditionFailed, reasonConditionNot, "Supplied fingerprint does not match current metadata fingerprint.")
	}
	if pr.obj.pending != nil {
		return nil, errorf(http.StatusPreconditionFailed, reasonConditionNot, "The project's metadata is being changed by another operation.")
	}
	seen := map[string]bool{}
	for i, it := range md.GetItems() {
		k := it.GetKey()
		switch {
		case !metadataKeyRE.MatchString(k):
			return nil, invalidField("metadata.items["+itoa(i)+"].key", k, "Keys are 1 to 128 letters, digits, underscores and hyphens.")
		case seen[k]:
			return nil, invalidField("metadata.items["+itoa(i)+"].key", k, "Duplicate metadata key.")
		case len(it.GetValue()) > maxMetadataValue:
			return nil, invalidField("metadata.items["+itoa(i)+"].value", len(it.GetValue()), "Values are at most 256 KiB.")
		}
		seen[k] = true
	}
	items := md.GetItems()
	return f.startOperation(rq, "setCommonInstanceMetadata", pr.obj, pr.number, func(time.Time) {
		pr.metadata = &computepb.Metadata{Kind: proto.String("compute#metadata"), Fingerprint: proto.String(f.newFingerprint()), Items: items}
	}, nil), nil
}
