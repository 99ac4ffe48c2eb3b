package cost

import "testing"

func TestLiveNote(t *testing.T) {
	for _, c := range []struct{ instance, platform, want string }{
		{"", "", ""},
		{"", "platform prices read live (gp3 0.1 USD/GB-Mo)", "; platform prices read live (gp3 0.1 USD/GB-Mo)"},
		{"Price List (m7i.large)", "", "Price List (m7i.large); embedded price catalog of 2026-11-26 for the rest"},
		{"Price List (m7i.large)", "platform (gp3)", "Price List (m7i.large); platform (gp3); embedded price catalog of 2026-11-26 for the rest"},
	} {
		if got := LiveNote(c.instance, c.platform, "2026-11-26"); got != c.want {
			t.Errorf("LiveNote(%q, %q) = %q, want %q", c.instance, c.platform, got, c.want)
		}
	}
}
