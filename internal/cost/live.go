package cost

// LiveNote builds price_source from what was read live: the instance (empty when the catalog priced
// it) and the platform prices (empty when none were). A note for the platform alone begins with
// "; ", to follow the catalog's own price_source.
func LiveNote(instance, platform, catalogDate string) string {
	switch {
	case instance == "" && platform == "":
		return ""
	case instance == "":
		return "; " + platform
	case platform != "":
		instance += "; " + platform
	}
	return instance + "; embedded price catalog of " + catalogDate + " for the rest"
}
