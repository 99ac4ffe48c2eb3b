package aws

import "testing"

func TestAWSCron(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0 3 * * *":        "cron(0 3 * * ? *)",
		"30 2 * * MON-FRI": "cron(30 2 ? * MON-FRI *)",
		"0 6 * * 0":        "cron(0 6 ? * 1 *)",
		"0 6 * * 1-5":      "cron(0 6 ? * 2-6 *)",
		"0 6 * * 7":        "cron(0 6 ? * 1 *)",
		"15 4 1 * *":       "cron(15 4 1 * ? *)",
		"0 */6 * * *":      "cron(0 */6 * * ? *)",
	} {
		got, err := AWSCron(in)
		if err != nil || got != want {
			t.Errorf("AWSCron(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := AWSCron("0 3 1 * MON"); err == nil {
		t.Error("both day fields set must be refused")
	}
	for _, in := range []string{"0 3 * * *", "30 2 * * MON-FRI", "0 6 * * 1-5", "15 4 1 * *"} {
		aws, _ := AWSCron(in)
		if back := FromAWSCron(aws); back != in {
			t.Errorf("FromAWSCron(%q) = %q, want %q", aws, back, in)
		}
	}
}
