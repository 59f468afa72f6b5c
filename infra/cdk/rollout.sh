#!/usr/bin/env bash
# Blue/green rollout steps for the Pulse stack (docs/DEPLOY.md). Every step is one `cdk deploy` whose context is
# the stack's current release (its outputs) with the given values changed, so a step never reverts another value.
#
#   rollout.sh state                       prints the current release: liveColour canaryWeight blueVersion greenVersion
#   rollout.sh context [key=value ...]     prints the -c arguments for the current release with these changes
#   rollout.sh diff    [key=value ...]     cdk diff with them
#   rollout.sh deploy  [key=value ...]     cdk deploy with them
#   rollout.sh watch COLOUR MINUTES        fails as soon as alarm pulse-COLOUR-rollout is in ALARM, else after MINUTES
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

stack=${PULSE_STACK:-Pulse}
region=${AWS_REGION:-us-east-1}
say() { echo "rollout: $*" >&2; }
die() { echo "rollout: $*" >&2; exit 1; }

outputs="" # the deployed stack's outputs as "key value" lines; empty before the first deploy
read_outputs() {
  command -v aws >/dev/null || die "the AWS CLI is needed: https://docs.aws.amazon.com/cli/"
  local err
  if ! outputs=$(aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
      --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text 2>/tmp/rollout.err); then
    err=$(cat /tmp/rollout.err)
    [[ $err == *"does not exist"* ]] || die "cannot read stack $stack: $err"
    say "stack $stack does not exist yet: starting from blue, no versions"
    outputs=""
  fi
}
output() { awk -v k="$1" '$1 == k { print $2 }' <<<"$outputs"; }

declare -A release
load() {
  read_outputs
  release[liveColour]=$(output LiveColour); release[liveColour]=${release[liveColour]:-blue}
  release[canaryWeight]=$(output CanaryWeight); release[canaryWeight]=${release[canaryWeight]:-0}
  release[blueVersion]=$(output BlueVersion); release[blueVersion]=${release[blueVersion]:-none}
  release[greenVersion]=$(output GreenVersion); release[greenVersion]=${release[greenVersion]:-none}
  for pair in "$@"; do
    [[ $pair == *=* ]] || die "expected key=value, got '$pair'"
    local key=${pair%%=*}
    [[ -v release[$key] ]] || die "unknown key '$key' (liveColour, canaryWeight, blueVersion, greenVersion)"
    release[$key]=${pair#*=}
  done
}
context_args() {
  local key
  for key in liveColour canaryWeight blueVersion greenVersion; do printf -- '-c %s=%s ' "$key" "${release[$key]}"; done
}

cmd=${1:-help}; shift || true
case "$cmd" in
  state) load; echo "${release[liveColour]} ${release[canaryWeight]} ${release[blueVersion]} ${release[greenVersion]}" ;;
  context) load "$@"; context_args; echo ;;
  diff) load "$@"; say "cdk diff $(context_args)"; npx cdk diff "$stack" $(context_args) ;;
  deploy)
    load "$@"
    say "cdk deploy $(context_args)"
    npx cdk deploy "$stack" $(context_args) --require-approval never --outputs-file cdk.out/outputs.json ;;
  watch)
    colour=${1:?colour}; minutes=${2:?minutes}; alarm="pulse-$colour-rollout"
    say "watching $alarm for $minutes minutes"
    deadline=$(( $(date +%s) + minutes * 60 ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
      state=$(aws cloudwatch describe-alarms --region "$region" --alarm-types CompositeAlarm \
        --alarm-names "$alarm" --query 'CompositeAlarms[0].StateValue' --output text)
      [ "$state" = ALARM ] && die "$alarm is in ALARM: roll back"
      sleep 30
    done
    say "$alarm stayed OK for $minutes minutes" ;;
  *) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; [ "$cmd" = help ] ;;
esac
