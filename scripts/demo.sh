#!/usr/bin/env bash
# make demo: the offline quickstart. Builds the provider, starts the emulators on loopback (moto
# behind the edge proxy for AWS, the Compute Engine and Cloud Billing fakes for Google Cloud, the
# Resource Manager fake for Azure), applies examples/quickstart through dev_overrides on all three
# clouds, shows what was created, rolls out a new image (apply blocks until each rollout
# finishes), then destroys and stops everything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.demo"
rm -rf "$work" && mkdir -p "$work/bin" "$work/quickstart"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

command -v terraform >/dev/null || { echo "terraform is not on PATH (offline: go install github.com/hashicorp/terraform@v1.5.7)" >&2; exit 1; }
python3 -c 'import moto.server' 2>/dev/null || { echo 'moto is missing: pip install "moto[server]==5.2.1"' >&2; exit 1; }

say "Building the provider and the emulator (a first run downloads and compiles the Go dependencies: a few minutes, one dot per 20 packages; later runs take seconds)"
build_start=$(date +%s)
# go build -v names each package it compiles (on stderr): a dot per 20 of them shows progress.
(cd "$root" && go build -v -o "$work/bin/terraform-provider-dspy" . 2>&1 && go build -v -o "$work/emulator" ./tools/emulator 2>&1) |
  awk '/^(go: |#|.*\.go:[0-9]+)/ {print; fflush(); next} {n++; if (n % 20 == 0) {printf "."; fflush()}} END {if (n >= 20) print ""}'
echo "built in $(( $(date +%s) - build_start )) s"

say "Starting the emulators on loopback (AWS: moto behind the edge proxy; Google Cloud: the Compute Engine and Cloud Billing fakes; Azure: the Resource Manager fake, over TLS)"
"$work/emulator" serve "$work/emulator.json" > "$work/emulator.log" 2>&1 &
emu=$!
cleanup() {
  kill "$emu" 2>/dev/null || true
  wait "$emu" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 300); do [ -s "$work/emulator.json" ] && break; sleep 0.2; done
[ -s "$work/emulator.json" ] || { cat "$work/emulator.log" >&2; echo "the emulator did not start" >&2; exit 1; }
json() { python3 -c "import json; d=json.load(open('$work/emulator.json')); print(json.dumps(d['$1']) if '${2:-}'=='json' else d['$1'])"; }
# env points any configuration at the emulators (AWS_ENDPOINT_URL, GOOGLE_CREDENTIALS,
# GOOGLE_COMPUTE_CUSTOM_ENDPOINT …).
eval "$(python3 -c "import json, shlex; d=json.load(open('$work/emulator.json')); print('\n'.join('export %s=%s' % (k, shlex.quote(v)) for k, v in d['env'].items()))")"
export DSPY_POLL_INTERVAL=200ms CHECKPOINT_DISABLE=1
gcp_project=$(json gcp_project)
echo "AWS emulator at $AWS_ENDPOINT_URL (default VPC $(json vpc_id)); Compute Engine fake at $GOOGLE_COMPUTE_CUSTOM_ENDPOINT (project $gcp_project); Resource Manager fake at $(json azure_url) (resource group $(json azure_resource_group))"

cat > "$work/terraformrc" <<RC
disable_checkpoint = true
provider_installation {
  dev_overrides {
    "dspyops/dspy" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
cp "$root/examples/quickstart/main.tf" "$work/quickstart/"
cat > "$work/quickstart/terraform.tfvars.json" <<VARS
{"subnet_ids": $(json subnet_ids json), "vpc_id": "$(json vpc_id)", "gcp_project": "$gcp_project", "gcp_billing_account": "$(json gcp_billing_account)",
 "azure_resource_group": "$(json azure_resource_group)", "azure_location": "$(json azure_location)", "azure_subnet_id": "$(json azure_subnet_id)",
 "azure_resource_manager_endpoint": "$(json azure_url)"}
VARS
gcp_id="gcp/$gcp_project/europe-west1/qa-demo"
azure_id="azure/$(json azure_resource_group)/qa-demo"
cd "$work/quickstart"
# brief keeps the progress lines (streamed as Terraform prints them) and the plan summary of an
# apply.
brief() { grep --line-buffered -E '^dspy_|^data.dspy|[~] (image|startup_hash)|^Plan:|complete!|^Error|Still' || true; }
# terraform, without the dev_overrides warning, its output streamed line by line (and kept in
# tf.out); fails when terraform fails.
tf() {
  local rc=0
  terraform "$@" -no-color 2>&1 | tee "$work/tf.out" |
    awk '/Warning: Provider development overrides/{skip=1} skip && /^$/{n++; if (n==2) {skip=0; n=0}; next} !skip && NF && !/^[│╷╵]/ {print; fflush()}' || rc=$?
  return $rc
}

say "terraform apply: on AWS launch template + target group + Auto Scaling group (apply waits for healthy capacity), then the scaling policy, the budget and the backup schedule; on Google Cloud the same service as instance template + regional managed instance group + health check + autoscaler, and the same budget as a Cloud Billing budget; on Azure the same service as a Flexible VM Scale Set + autoscale setting, and the same budget as a Consumption budget"
start=$(date +%s)
tf apply -auto-approve | brief
echo
echo "AWS:"
"$work/emulator" describe qa-demo
echo "Google Cloud:"
"$work/emulator" describe-gcp "$gcp_id"
echo "Azure:"
"$work/emulator" describe-azure "$azure_id"
echo "  scaling: $(tf output -json scaling | python3 -c 'import json,sys; print(", ".join(json.load(sys.stdin)))')"
echo "  budget:  $(tf output -json budget | python3 -c 'import json,sys; b=json.load(sys.stdin); print(b["budget"], "with token alarm", b.get("token_alarm", "-"))')"
echo "  backup:  $(tf output -json backup | python3 -c 'import json,sys; b=json.load(sys.stdin); print("vault", b["vault"], "plan", b["plan_id"], "restore testing", b.get("restore_testing_plan", "-"))')"

say "Health, from the dspy_service_health data source"
tf output -json health | python3 -c 'import json,sys; h=json.load(sys.stdin); print("  AWS: status %s (%d of %d healthy)%s" % (h["status"], h["healthy"], h["desired"], "".join("\n  - "+r for r in h["reasons"]))); print("\n".join("  "+i for i in h["instances"]))'
tf output -json gcp | python3 -c 'import json,sys; g=json.load(sys.stdin); print("  Google Cloud: status %s, rollout %s; budget %s with token alert policy %s" % (g["health"], g["rollout_status"], g["budget"]["budget_id"], g["budget"].get("token_alarm", "-"))); print("\n".join("  "+i for i in g["instances"]))'
tf output -json azure | python3 -c 'import json,sys; a=json.load(sys.stdin); print("  Azure: status %s, rollout %s; budget %s (action group %s) with token metric alert %s" % (a["health"], a["rollout_status"], a["budget"]["budget"], a["budget"]["action_group"], a["budget"].get("token_alarm", "-"))); print("\n".join("  "+i for i in a["instances"]))'

say "Monthly cost, from the dspy_service_cost data source (built-in price catalog)"
tf output -json cost | python3 -c '
import json, sys
c = json.load(sys.stdin)
cur = c["currency"]
print("  prices of %s, in %s" % (c["price_date"], cur))
print("\n".join("  " + l for l in c["breakdown"]))
print("  total at initial capacity: %.2f %s (compute %.2f at min, %.2f at max)" % (c["total"], cur, c["compute"]["at_min"], c["compute"]["at_max"]))
print("  recommendations:")
print("\n".join("    save " + r for r in c["recommendations"]))'

say "The services applied on Google Cloud and Azure, priced from what each cloud has"
tf output -json applied_cost | python3 -c '
import json, sys
for cloud, c in json.load(sys.stdin).items():
    print("  %-36s %-34s total %8.2f %s a month" % (cloud, c["machine"], c["total"], c["currency"]))'

say "The same service on Google Cloud and Azure, priced before it exists there"
tf output -json cost_elsewhere | python3 -c '
import json, sys
for cloud, c in json.load(sys.stdin).items():
    print("  %-6s %-30s compute %7.2f  storage %6.2f  load balancer %6.2f  metrics %5.2f  total %7.2f" % (cloud, c["machine"], c["compute"], c["storage"], c["load_balancer"], c["monitoring"], c["total"]))
    print("\n".join("           not priced: " + n for n in c["not_priced"]))'

say "terraform plan after apply: no drift, even though capacity is the autoscaler's"
if tf plan -detailed-exitcode > "$work/plan.out"; then echo "  No changes."; else cat "$work/plan.out"; exit 1; fi

say "Rolling out a new image: a new template version and an instance refresh; apply blocks until it finishes"
tf apply -auto-approve -var image=ghcr.io/acme/qa-bot:1.5.0 | brief
echo
echo "AWS:"
"$work/emulator" describe qa-demo
echo "Google Cloud (a new instance template, rolled out by the group's PROACTIVE update policy):"
"$work/emulator" describe-gcp "$gcp_id"
echo "Azure (a new scale set model, rolled out by a rolling upgrade in batches):"
"$work/emulator" describe-azure "$azure_id"

say "terraform destroy"
tf destroy -auto-approve | brief
"$work/emulator" describe qa-demo
"$work/emulator" describe-gcp "$gcp_id"
"$work/emulator" describe-azure "$azure_id"
echo "demo finished in $(( $(date +%s) - start )) s"
