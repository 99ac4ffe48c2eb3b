// Package pricing holds the embedded, dated price catalog that cost
// estimates are computed from. Every figure in it names the public page it
// was read from and the day it was read; Check refuses a catalog where one
// does not.
package pricing

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"sync"
	"time"
)

//go:embed catalog.json
var catalogJSON []byte

// Sourced is the provenance every catalog row carries.
type Sourced struct {
	Source string `json:"source"`
	Read   string `json:"read"`
	// AsOf is the date the source itself gives for its figures (a generated file's timestamp), when
	// it gives one: a row read today can carry older prices.
	AsOf string `json:"as_of,omitempty"`
}

// Instance is the Linux on-demand hourly price and shape of one machine type
// in one region.
type Instance struct {
	Sourced
	Cloud      string  `json:"cloud"`
	Region     string  `json:"region"`
	Type       string  `json:"type"`
	Family     string  `json:"family"`
	Arch       string  `json:"arch"`
	VCPUs      int     `json:"vcpus"`
	MemoryGiB  float64 `json:"memory_gib"`
	Hourly     float64 `json:"hourly"`
	SpecSource string  `json:"spec_source"`
	// SpotHourly is the spot (preemptible) hourly price where a source publishes one; 0 when not.
	SpotHourly float64 `json:"spot_hourly,omitempty"`
	// SpotSource names where SpotHourly was read when that is not the row's own source (a snapshot of
	// a spot price feed); SpotAsOf is the day of that snapshot. Spot prices move: the estimate says
	// which day's price it used.
	SpotSource string `json:"spot_source,omitempty"`
	SpotAsOf   string `json:"spot_as_of,omitempty"`
}

// Rate is the price of one unit of something metered in a region: a block-storage GB-month, a
// load balancer's hour or capacity unit, a custom metric's month.
type Rate struct {
	Sourced
	Cloud  string  `json:"cloud"`
	Region string  `json:"region"`
	Name   string  `json:"name"`
	Unit   string  `json:"unit"`
	Price  float64 `json:"price"`
	// Note says how the figure was read where that is not plain from the source (derived from a
	// fixture's total, a location the price is of).
	Note string `json:"note,omitempty"`
}

// Storage is a block-storage price per unit (GB-month).
type Storage = Rate

// Charge is the price of a metered service the deployment uses besides machines and disks.
type Charge = Rate

// TokenPrice is a language model's price per one million tokens. A zero
// CachedInput means the source publishes no cached-input price; cache hits
// are then billed as ordinary input.
type TokenPrice struct {
	Sourced
	Provider    string  `json:"provider"`
	Model       string  `json:"model"`
	Input       float64 `json:"input"`
	CachedInput float64 `json:"cached_input,omitempty"`
	Output      float64 `json:"output"`
	// Aliases are the provider's other documented names of the model (dated ids, -latest
	// pointers, version suffixes), from AliasSource.
	Aliases     []string `json:"aliases,omitempty"`
	AliasSource string   `json:"alias_source,omitempty"`
	// Note says what the figures are where the source gives more than one (a context-length
	// tier) or where sources disagree.
	Note string `json:"note,omitempty"`
}

// Catalog is the whole price list.
type Catalog struct {
	Date      string       `json:"date"`
	Currency  string       `json:"currency"`
	Note      string       `json:"note"`
	Instances []Instance   `json:"instances"`
	Storage   []Storage    `json:"storage"`
	Charges   []Charge     `json:"charges"`
	Tokens    []TokenPrice `json:"lm_tokens"`
}

var (
	loadOnce sync.Once
	loaded   *Catalog
	loadErr  error
)

// Default returns the embedded catalog, parsed and checked once per process.
func Default() (*Catalog, error) {
	loadOnce.Do(func() {
		loaded, loadErr = Parse(catalogJSON)
	})
	return loaded, loadErr
}

// Parse decodes a catalog and checks it.
func Parse(data []byte) (*Catalog, error) {
	var c Catalog
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("price catalog: %w", err)
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Check enforces the sourcing rule and sanity of every row: a public http(s)
// source, a read date no later than the catalog's own date, positive prices,
// and no two rows for the same thing.
func (c *Catalog) Check() error {
	date, err := time.Parse(time.DateOnly, c.Date)
	if err != nil {
		return fmt.Errorf("price catalog: date %q is not YYYY-MM-DD", c.Date)
	}
	if c.Currency == "" {
		return fmt.Errorf("price catalog: currency is empty")
	}
	seen := map[string]bool{}
	row := func(key string, s Sourced, prices ...float64) error {
		if seen[key] {
			return fmt.Errorf("price catalog: %s appears twice", key)
		}
		seen[key] = true
		if err := checkSource(s.Source); err != nil {
			return fmt.Errorf("price catalog: %s: %w", key, err)
		}
		read, err := time.Parse(time.DateOnly, s.Read)
		if err != nil {
			return fmt.Errorf("price catalog: %s: read date %q is not YYYY-MM-DD", key, s.Read)
		}
		if read.After(date) {
			return fmt.Errorf("price catalog: %s: read on %s, after the catalog's date %s", key, s.Read, c.Date)
		}
		if s.AsOf != "" {
			asOf, err := time.Parse(time.DateOnly, s.AsOf)
			if err != nil || asOf.After(read) {
				return fmt.Errorf("price catalog: %s: as_of %q must be a YYYY-MM-DD date no later than the read date %s", key, s.AsOf, s.Read)
			}
		}
		for _, p := range prices {
			if p <= 0 {
				return fmt.Errorf("price catalog: %s: price %v must be positive", key, p)
			}
		}
		return nil
	}
	for _, i := range c.Instances {
		key := "instance " + i.Cloud + "/" + i.Region + "/" + i.Type
		if err := row(key, i.Sourced, i.Hourly); err != nil {
			return err
		}
		if err := checkSource(i.SpecSource); err != nil {
			return fmt.Errorf("price catalog: %s: spec_source: %w", key, err)
		}
		if i.SpotHourly < 0 || (i.SpotHourly != 0 && i.SpotHourly >= i.Hourly) {
			return fmt.Errorf("price catalog: %s: spot_hourly %v must be below the on-demand %v", key, i.SpotHourly, i.Hourly)
		}
		if err := checkSpotSource(i, date); err != nil {
			return fmt.Errorf("price catalog: %s: %w", key, err)
		}
		if i.VCPUs <= 0 || i.MemoryGiB <= 0 || i.Family == "" || (i.Arch != "x86_64" && i.Arch != "arm64") {
			return fmt.Errorf("price catalog: %s: needs family, arch (x86_64 or arm64), vcpus and memory_gib", key)
		}
	}
	for _, s := range c.Storage {
		if err := row("storage "+s.Cloud+"/"+s.Region+"/"+s.Name, s.Sourced, s.Price); err != nil {
			return err
		}
	}
	for _, ch := range c.Charges {
		if err := row("charge "+ch.Cloud+"/"+ch.Region+"/"+ch.Name, ch.Sourced, ch.Price); err != nil {
			return err
		}
		if ch.Unit == "" {
			return fmt.Errorf("price catalog: charge %s/%s/%s: unit is empty", ch.Cloud, ch.Region, ch.Name)
		}
	}
	for _, t := range c.Tokens {
		if err := row("model "+t.Model, t.Sourced, t.Input, t.Output); err != nil {
			return err
		}
		if t.CachedInput < 0 || t.CachedInput > t.Input {
			return fmt.Errorf("price catalog: model %s: cached_input %v must lie between 0 and input %v", t.Model, t.CachedInput, t.Input)
		}
	}
	return nil
}

func checkSource(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("source %q is not a public http(s) URL", raw)
	}
	return nil
}

// checkSpotSource holds a spot price read from its own source to the sourcing rule: an http(s)
// source, and the day of the snapshot, no later than the catalog.
func checkSpotSource(i Instance, catalogDate time.Time) error {
	if i.SpotSource == "" && i.SpotAsOf == "" {
		return nil
	}
	if i.SpotHourly <= 0 {
		return fmt.Errorf("spot_source is set without a spot_hourly")
	}
	if err := checkSource(i.SpotSource); err != nil {
		return fmt.Errorf("spot_source: %w", err)
	}
	asOf, err := time.Parse(time.DateOnly, i.SpotAsOf)
	if err != nil || asOf.After(catalogDate) {
		return fmt.Errorf("spot_as_of %q must be the YYYY-MM-DD day of the spot price snapshot, no later than the catalog", i.SpotAsOf)
	}
	return nil
}
