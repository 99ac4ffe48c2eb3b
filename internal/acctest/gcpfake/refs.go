package gcpfake

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
)

var (
	nameRE    = regexp.MustCompile(`^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$`)
	regionRE  = regexp.MustCompile(`^[a-z]+(?:-[a-z]+)+[0-9]+$`)
	projectRE = regexp.MustCompile(`^(?:[a-z][-a-z0-9.]*:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$`)
	uuidRE    = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// knownZones lists the zones of regions whose zone letters are not simply a, b, c.
var knownZones = map[string][]string{
	"us-central1":  {"a", "b", "c", "f"},
	"us-east1":     {"b", "c", "d"},
	"europe-west1": {"b", "c", "d"},
}

// scope is the project and region a regional request addresses.
type scope struct {
	project string
	region  string
}

// regionPath is the scope's region, or the project's global collections for a global scope
// (projects and their operations).
func (s scope) regionPath() string {
	if s.region == "" {
		return "projects/" + s.project + "/global"
	}
	return "projects/" + s.project + "/regions/" + s.region
}

func (s scope) path(collection, name string) string {
	return s.regionPath() + "/" + collection + "/" + name
}

// regionZones returns the zones of region; the first three are a regional MIG's default zones.
func regionZones(region string) []string {
	letters, ok := knownZones[region]
	if !ok {
		letters = []string{"a", "b", "c"}
	}
	zones := make([]string, len(letters))
	for i, l := range letters {
		zones[i] = region + "-" + l
	}
	return zones
}

func defaultZones(region string) []string {
	z := regionZones(region)
	return z[:min(3, len(z))]
}

func zoneInRegion(zone, region string) bool {
	return slices.Contains(regionZones(region), zone)
}

// regionOfZone returns the region of a zone name such as us-central1-a, or "".
func regionOfZone(zone string) string {
	i := strings.LastIndex(zone, "-")
	if i <= 0 || i != len(zone)-2 {
		return ""
	}
	return zone[:i]
}

// link turns a relative path (projects/...) into the URL the API would emit.
func (f *Fake) link(path string) string { return f.cfg.linkBase + path }

// relPath normalises a resource reference given in a request to a relative path
// "projects/P/...": full URLs of any host under /compute/v1/, "projects/...", and paths relative
// to the request's project ("regions/...", "zones/...", "global/..."). A bare name is returned as
// "" unless bare (the collection path to put it in) is given.
func relPath(ref, project, bare string) string {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://") {
		u, err := url.Parse(ref)
		if err != nil {
			return ""
		}
		p := strings.TrimPrefix(u.Path, "/")
		if !strings.HasPrefix(p, "compute/v1/projects/") {
			return ""
		}
		return strings.TrimPrefix(p, "compute/v1/")
	}
	switch {
	case strings.HasPrefix(ref, "projects/"):
		return ref
	case strings.HasPrefix(ref, "regions/"), strings.HasPrefix(ref, "zones/"), strings.HasPrefix(ref, "global/"):
		return "projects/" + project + "/" + ref
	case bare != "" && nameRE.MatchString(ref):
		return bare + "/" + ref
	}
	return ""
}

// refParts splits a relative path into project, location kind ("regions", "zones", "global"),
// location, collection and name. ok is false for anything else.
type refParts struct {
	project, locKind, loc, collection, name string
}

func splitRef(path string) (refParts, bool) {
	s := strings.Split(path, "/")
	if len(s) < 2 || s[0] != "projects" {
		return refParts{}, false
	}
	switch {
	case len(s) == 6 && (s[2] == "regions" || s[2] == "zones"):
		return refParts{project: s[1], locKind: s[2], loc: s[3], collection: s[4], name: s[5]}, true
	case len(s) == 5 && s[2] == "global":
		return refParts{project: s[1], locKind: "global", collection: s[3], name: s[4]}, true
	case len(s) == 4 && (s[2] == "regions" || s[2] == "zones"):
		return refParts{project: s[1], locKind: s[2], loc: s[3]}, true
	}
	return refParts{}, false
}

// zoneName accepts a zone as a name, a zones/Z path or URL and returns its name, or "".
func zoneName(ref, project string) string {
	if !strings.Contains(ref, "/") {
		return ref
	}
	p, ok := splitRef(relPath(ref, project, ""))
	if !ok || p.locKind != "zones" || p.collection != "" {
		return ""
	}
	return p.loc
}
