package pricing

import (
	"fmt"
	"sort"
	"strings"
)

// Coverage is the catalog's coverage as a markdown table: for each cloud and region, the machine
// types (and how many with a spot price), and the storage and platform rows it has. The README
// carries it between coverage markers; a test keeps the two equal.
func (c *Catalog) Coverage() string {
	type cell struct {
		types, spot int
		storage     []string
		charges     []string
	}
	cells := map[[2]string]*cell{}
	get := func(cloud, region string) *cell {
		k := [2]string{cloud, region}
		if cells[k] == nil {
			cells[k] = &cell{}
		}
		return cells[k]
	}
	for _, in := range c.Instances {
		x := get(in.Cloud, in.Region)
		x.types++
		if in.SpotHourly > 0 {
			x.spot++
		}
	}
	for _, s := range c.Storage {
		get(s.Cloud, s.Region).storage = append(get(s.Cloud, s.Region).storage, s.Name)
	}
	for _, ch := range c.Charges {
		get(ch.Cloud, ch.Region).charges = append(get(ch.Cloud, ch.Region).charges, ch.Name)
	}
	keys := make([][2]string, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	order := map[string]int{"aws": 0, "gcp": 1, "azure": 2}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return order[keys[i][0]] < order[keys[j][0]]
		}
		return keys[i][1] < keys[j][1]
	})
	var b strings.Builder
	b.WriteString("| Cloud | Region | Machine types (with spot) | Disks | Platform, backups, budgets |\n|---|---|---|---|---|\n")
	for _, k := range keys {
		x := cells[k]
		types := "–"
		if x.types > 0 {
			types = fmt.Sprintf("%d (%d)", x.types, x.spot)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", k[0], k[1], types, rowList(x.storage), rowList(x.charges))
	}
	return b.String()
}

// rowList names rows compactly: Azure's disk tiers as one range per family ("Premium SSD P1–P80").
func rowList(names []string) string {
	if len(names) == 0 {
		return "–"
	}
	tiers := map[string][]string{}
	var out []string
	for _, n := range names {
		if fam, tier, ok := diskTier(n); ok {
			if tiers[fam] == nil {
				out = append(out, "\x00"+fam)
			}
			tiers[fam] = append(tiers[fam], tier)
			continue
		}
		out = append(out, n)
	}
	for i, n := range out {
		if fam, ok := strings.CutPrefix(n, "\x00"); ok {
			ts := tiers[fam]
			sort.Slice(ts, func(a, b int) bool { return tierNumber(ts[a]) < tierNumber(ts[b]) })
			if len(ts) == 1 {
				out[i] = fam + " " + ts[0]
			} else {
				out[i] = fmt.Sprintf("%s %s (%d tiers)", fam, strings.Join(ts, ", "), len(ts))
				if len(ts) > 4 {
					out[i] = fmt.Sprintf("%s %s–%s (%d tiers)", fam, ts[0], ts[len(ts)-1], len(ts))
				}
			}
		}
	}
	sort.Strings(out)
	return "`" + strings.Join(out, "`, `") + "`"
}

// diskTier splits "Premium SSD P10" into its family and tier.
func diskTier(name string) (family, tier string, ok bool) {
	for _, fam := range []string{"Premium SSD", "Standard SSD"} {
		if t, found := strings.CutPrefix(name, fam+" "); found && len(t) > 1 && (t[0] == 'P' || t[0] == 'E') && tierNumber(t) > 0 {
			return fam, t, true
		}
	}
	return "", "", false
}

func tierNumber(t string) int {
	n := 0
	for _, r := range t[1:] {
		if r < '0' || r > '9' {
			return 0
		}
		n = n*10 + int(r-'0')
	}
	return n
}
