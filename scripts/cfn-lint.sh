#!/usr/bin/env bash
# Synthesizes the stack for every stage and checks the templates with cfn-lint (when installed).
# Fails on cfn-lint errors; warnings are printed but do not fail.
set -uo pipefail
cd "$(dirname "$0")/.."
if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint is not installed: template lint skipped"
  exit 0
fi
export CDK_DISABLE_VERSION_CHECK=1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for stage in dev prod; do
  npx cdk synth -c stage="$stage" -c usernameCaseSensitive=false -o "$out/$stage" --quiet >/dev/null || { echo "cdk synth failed for stage $stage"; exit 1; }
done
# The full device view adds IAM policies: lint that shape too.
npx cdk synth -c stage=prod -c usernameCaseSensitive=false -c fullDeviceView=true -o "$out/prod-full-view" --quiet >/dev/null ||
  { echo "cdk synth failed for prod with fullDeviceView"; exit 1; }
# rememberFor adds the scheduler's group, role and the trust functions.
npx cdk synth -c stage=prod -c usernameCaseSensitive=false -c rememberFor=30d -o "$out/prod-remember-for" --quiet >/dev/null ||
  { echo "cdk synth failed for prod with rememberFor"; exit 1; }
# A pool whose users sign in with their email as the username (as Amplify Gen 2 makes them).
npx cdk synth -c stage=prod -c usernameCaseSensitive=false -c signInWith=email -o "$out/prod-email" --quiet >/dev/null ||
  { echo "cdk synth failed for prod with signInWith=email"; exit 1; }
# Passwordless first factors (email codes and passkeys), choice-based sign-in on the clients.
npx cdk synth -c stage=prod -c usernameCaseSensitive=false -c passwordless=email_otp,passkey \
  -c passkeyRelyingPartyId=app.example.com -o "$out/prod-passwordless" --quiet >/dev/null ||
  { echo "cdk synth failed for prod with passwordless"; exit 1; }
cfn-lint "$out"/*/*.template.json
rc=$?
# cfn-lint's exit code is a bit mask: 1 fatal, 2 error, 4 warning, 8 informational.
if (( rc & 3 )); then
  echo "cfn-lint found errors"
  exit 1
fi
echo "cfn-lint: no errors in $(ls "$out"/*/*.template.json | wc -l) templates"
