#!/usr/bin/env bash
# Runs openstacksdk's own functional tests (pinned below) for compute, block storage, image,
# identity and the cloud layer against a running `simulator` binary.
#
# Usage: scripts/openstacksdk-functional.sh [cloud URL]   (default http://127.0.0.1:5000)
#
# It installs openstacksdk and its test requirements into target/openstacksdk-venv if needed,
# makes the accounts devstack has (projects `demo` and `alt_demo`, users `demo` and `alt_demo`)
# through the control API, writes target/openstacksdk/clouds.yaml with the cloud names the tests
# read (devstack, devstack-alt, devstack-admin, devstack-system-admin), runs the tests selected
# by openstacksdk/selection.txt minus openstacksdk/exclusions.txt, prints the figures per group
# and every failure, and judges the run with openstacksdk/figures.py (docs/openstacksdk.md).
# Environment: SDK_FILTER (a regex to run instead of the selection), SDK_ADMIN_PASSWORD
# (default admin), SDK_TEST_TIMEOUT (seconds per test, default 180).
set -euo pipefail
# REPO (the working directory from here on), URL and `control`.
source "$(dirname "$0")/suite-setup.sh" "$@"

SDK_VERSION=4.22.0
VENV=$REPO/target/openstacksdk-venv
WORKSPACE=$REPO/target/openstacksdk
ADMIN_PASSWORD=${SDK_ADMIN_PASSWORD:-admin}
# The test requirements of openstacksdk's `test` dependency group that the functional tests
# import (the linters and coverage are left out).
TEST_REQUIREMENTS=(stestr testtools fixtures oslotest testscenarios ddt jsonschema requests-mock
  statsd prometheus-client oslo.config keyring python-subunit)

if [ ! -x "$VENV/bin/stestr" ] || ! "$VENV/bin/pip" show openstacksdk 2>/dev/null | grep -qx "Version: $SDK_VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "openstacksdk==$SDK_VERSION" "${TEST_REQUIREMENTS[@]}"
fi
PY=$VENV/bin/python
SITE=$("$PY" -c 'import os, openstack; print(os.path.dirname(os.path.dirname(openstack.__file__)))')

rm -rf "$WORKSPACE"
mkdir -p "$WORKSPACE"

# devstack's accounts: `demo` and `alt_demo`, members of their own projects.
for account in demo alt_demo; do
  control projects "{\"name\": \"$account\"}"
  control users "{\"name\": \"$account\", \"password\": \"$account-secret\", \"projects\": [\"$account\"], \"roles\": [\"member\"]}"
done

# token <user> <password> <project>: a project-scoped token.
token() {
  curl -s -D - -o /dev/null "$URL/identity/v3/auth/tokens" -H 'Content-Type: application/json' -d "{\"auth\": {
    \"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"$1\", \"domain\": {\"id\": \"default\"}, \"password\": \"$2\"}}},
    \"scope\": {\"project\": {\"name\": \"$3\", \"domain\": {\"id\": \"default\"}}}}}" |
    tr -d '\r' | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: //p'
}
# network <token> <name> <cidr> [external]: devstack's networks, made unless an earlier run
# against the same binary made them: `private` in each project (with a subnet), the external
# `public`.
network() {
  local auth=(-H "X-Auth-Token: $1" -H 'Content-Type: application/json') id project external=${4:-false}
  project=$(curl -s "${auth[@]}" -H "X-Subject-Token: $1" "$URL/identity/v3/auth/tokens?nocatalog" |
    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["token"]["project"]["id"])')
  id=$(curl -s "${auth[@]}" "$URL/networking/v2.0/networks?name=$2&project_id=$project" |
    "$PY" -c 'import json, sys; print(next((n["id"] for n in json.load(sys.stdin)["networks"]), ""))')
  [ -n "$id" ] && return 0
  id=$(curl -s "${auth[@]}" -X POST "$URL/networking/v2.0/networks" \
    -d "{\"network\": {\"name\": \"$2\", \"router:external\": $external}}" |
    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["network"]["id"])')
  curl -s "${auth[@]}" -X POST "$URL/networking/v2.0/subnets" -o /dev/null \
    -d "{\"subnet\": {\"name\": \"$2-subnet\", \"network_id\": \"$id\", \"ip_version\": 4, \"cidr\": \"$3\"}}"
}
# router <token>: devstack's `router1` of the token's project, its gateway on `public` and an
# interface on the project's `private-subnet`, made unless an earlier run made it (a floating IP
# needs the port's subnet routed to the external network, as on devstack).
router() {
  local auth=(-H "X-Auth-Token: $1" -H 'Content-Type: application/json') public subnet id
  id=$(curl -s "${auth[@]}" "$URL/networking/v2.0/routers?name=router1" |
    "$PY" -c 'import json, sys; print(next((r["id"] for r in json.load(sys.stdin)["routers"]), ""))')
  [ -n "$id" ] && return 0
  public=$(curl -s "${auth[@]}" "$URL/networking/v2.0/networks?name=public" |
    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["networks"][0]["id"])')
  subnet=$(curl -s "${auth[@]}" "$URL/networking/v2.0/subnets?name=private-subnet" |
    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["subnets"][0]["id"])')
  id=$(curl -s "${auth[@]}" -X POST "$URL/networking/v2.0/routers" \
    -d "{\"router\": {\"name\": \"router1\", \"external_gateway_info\": {\"network_id\": \"$public\"}}}" |
    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["router"]["id"])')
  curl -s "${auth[@]}" -X PUT "$URL/networking/v2.0/routers/$id/add_router_interface" -o /dev/null \
    -d "{\"subnet_id\": \"$subnet\"}"
}
admin_token=$(token admin "$ADMIN_PASSWORD" admin)
demo_token=$(token demo demo-secret demo)
alt_token=$(token alt_demo alt_demo-secret alt_demo)
network "$admin_token" public 172.24.4.0/24 true
network "$demo_token" private 10.0.0.0/26
network "$alt_token" private 10.0.1.0/26
network "$admin_token" private 10.0.2.0/26
for project_token in "$demo_token" "$alt_token" "$admin_token"; do router "$project_token"; done

cat >"$WORKSPACE/clouds.yaml" <<YAML
# The cloud names openstacksdk's functional tests read (as devstack writes them).
functional:
  image_name: cirros-0.6.2-x86_64-disk
clouds:
  devstack:
    auth: {auth_url: "$URL/identity", username: demo, password: demo-secret, project_name: demo,
           user_domain_id: default, project_domain_id: default}
    identity_api_version: 3
    region_name: RegionOne
  devstack-alt:
    auth: {auth_url: "$URL/identity", username: alt_demo, password: alt_demo-secret, project_name: alt_demo,
           user_domain_id: default, project_domain_id: default}
    identity_api_version: 3
    region_name: RegionOne
  devstack-admin:
    auth: {auth_url: "$URL/identity", username: admin, password: "$ADMIN_PASSWORD", project_name: admin,
           user_domain_id: default, project_domain_id: default}
    identity_api_version: 3
    region_name: RegionOne
  devstack-system-admin:
    auth: {auth_url: "$URL/identity", username: admin, password: "$ADMIN_PASSWORD", system_scope: all,
           user_domain_id: default}
    identity_api_version: 3
    region_name: RegionOne
YAML
export OS_CLIENT_CONFIG_FILE=$WORKSPACE/clouds.yaml
export OS_TEST_TIMEOUT=${SDK_TEST_TIMEOUT:-180}
export OPENSTACKSDK_FUNC_TEST_TIMEOUT=$OS_TEST_TIMEOUT

include=$WORKSPACE/selection.txt
exclude=$WORKSPACE/exclusions.txt
sed -e '/^\s*#/d' -e '/^\s*$/d' openstacksdk/selection.txt >"$include"
sed -e '/^\s*#/d' -e '/^\s*$/d' openstacksdk/exclusions.txt >"$exclude"
# stestr runs what the include list or a filter selects, so a filter replaces the list.
selection=(--include-list "$include")
if [ -n "${SDK_FILTER:-}" ]; then selection=("$SDK_FILTER"); fi

# The functional tree cannot be discovered whole (its examples import a package the wheel does
# not ship), so each group's directory is listed and run on its own; the subunit streams add up.
cd "$WORKSPACE"
# The image tests upload ./CONTRIBUTING.rst, a file of openstacksdk's source tree the wheel
# does not ship: any file does.
"$PY" -c 'import openstack, sys; sys.stdout.write(openstack.__doc__ or "openstacksdk\n")' >CONTRIBUTING.rst
: >selected.txt
: >results.subunit
for dir in compute/v2 block_storage/v3 image/v2 identity/v3 cloud; do
  printf '[DEFAULT]\ntest_path=%s\ntop_dir=%s\n' "$SITE/openstack/tests/functional/$dir" "$SITE" >.stestr.conf
  rm -rf .stestr && "$VENV/bin/stestr" init >/dev/null
  set +e
  "$VENV/bin/stestr" list --exclude-list "$exclude" "${selection[@]}" >>selected.txt 2>>stestr.err
  "$VENV/bin/stestr" run --serial --exclude-list "$exclude" "${selection[@]}" \
    --subunit >>results.subunit 2>>stestr.err
  set -e
done
"$PY" "$REPO/openstacksdk/figures.py" selected.txt results.subunit "$REPO/openstacksdk/known-failures.txt"
