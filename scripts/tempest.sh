#!/usr/bin/env bash
# Runs OpenStack's own API tests (Tempest, pinned below) against a running `simulator` binary.
#
# Usage: scripts/tempest.sh [cloud URL]   (default http://127.0.0.1:5000, the binary's default)
#
# It installs Tempest into target/tempest-venv if needed, makes the pre-provisioned accounts
# through the control API (/_sim/projects, /_sim/users), writes target/tempest/etc/tempest.conf
# (from tempest/tempest.conf.in) and accounts.yaml, runs the tests selected by
# tempest/selection.txt minus tempest/exclusions.txt, prints the figures per group and judges the run with
# tempest/figures.py (see docs/tempest.md). Environment: TEMPEST_CONCURRENCY (default 2),
# TEMPEST_FILTER (an extra regex to narrow the selection, for local work),
# TEMPEST_ADMIN_PASSWORD (the cloud admin's password, default admin), TEMPEST_INSTALL_ONLY=1
# (install Tempest and stop: CI installs it while it builds).
set -euo pipefail
# REPO (the working directory from here on), URL and `control`.
source "$(dirname "$0")/suite-setup.sh" "$@"

TEMPEST_VERSION=47.0.0
VENV=$REPO/target/tempest-venv
WORKSPACE=$REPO/target/tempest
CONCURRENCY=${TEMPEST_CONCURRENCY:-2}
# Projects made for the accounts; each has a member and a reader account, and an admin account
# (on the admin project) goes with each.
PROJECTS=6

if [ ! -x "$VENV/bin/tempest" ] || ! "$VENV/bin/pip" show tempest 2>/dev/null | grep -qx "Version: $TEMPEST_VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "tempest==$TEMPEST_VERSION"
fi
[ -z "${TEMPEST_INSTALL_ONLY:-}" ] || exit 0
PY=$VENV/bin/python

rm -rf "$WORKSPACE/etc" "$WORKSPACE/locks" "$WORKSPACE/logs"
mkdir -p "$WORKSPACE/etc" "$WORKSPACE/locks" "$WORKSPACE/logs"

token=$(curl -s -D - -o /dev/null "$URL/identity/v3/auth/tokens" -H 'Content-Type: application/json' -d '{"auth": {
    "identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"name": "Default"}, "password": "'"${TEMPEST_ADMIN_PASSWORD:-admin}"'"}}},
    "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}' |
  tr -d '\r' | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: //p')
keystone() { curl -s -H "X-Auth-Token: $token" "$@"; }

# Members and readers have the `member` or `reader` role on their own project only; the admins
# the `admin` role on the cloud's admin project, whose tokens the fake treats as the cloud
# administrator's.
accounts=$WORKSPACE/etc/accounts.yaml
: >"$accounts"
for i in $(seq 1 $PROJECTS); do
  control projects "{\"name\": \"tempest-$i\"}"
  for persona in member reader admin; do
    project=tempest-$i
    if [ $persona = admin ]; then project=admin; fi
    control users "{\"name\": \"tempest-$persona-$i\", \"password\": \"tempest-$persona-$i-secret\", \"projects\": [\"$project\"], \"roles\": [\"$persona\"]}"
    cat >>"$accounts" <<EOF
- username: tempest-$persona-$i
  password: tempest-$persona-$i-secret
  project_name: $project
  user_domain_name: Default
  project_domain_name: Default
  roles: [$persona]
EOF
  done
  # System-scoped accounts (the identity tests' system readers and administrators): users
  # without projects, granted the role on the system through Keystone.
  for role in admin member reader; do
    user=tempest-system-$role-$i
    control users "{\"name\": \"$user\", \"password\": \"$user-secret\", \"projects\": []}"
    user_id=$(keystone "$URL/identity/v3/users?name=$user" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["users"][0]["id"])')
    role_id=$(keystone "$URL/identity/v3/roles?name=$role" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["roles"][0]["id"])')
    status=$(keystone -o /dev/null -w '%{http_code}' -X PUT "$URL/identity/v3/system/users/$user_id/roles/$role_id")
    [ "$status" = 204 ] || { echo "PUT /v3/system/users/$user_id/roles/$role_id answered $status" >&2; exit 1; }
    cat >>"$accounts" <<EOF
- username: $user
  password: $user-secret
  user_domain_name: Default
  system: all
  roles: [$role]
EOF
  done
done

# The seeded public image is the image every compute test boots.
image_ref=$(
  curl -s "$URL/image/v2/images?name=cirros-0.6.2-x86_64-disk" -H "X-Auth-Token: $token" |
    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["images"][0]["id"])'
)

# devstack makes the two smallest flavors for Tempest only (lib/tempest): m1.nano (42) and
# m1.micro (84); 409 when an earlier run against the same binary made them.
for flavor in '"42", "name": "m1.nano", "ram": 128' '"84", "name": "m1.micro", "ram": 192'; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/compute/v2.1/flavors" -H "X-Auth-Token: $token" \
    -H 'Content-Type: application/json' -d "{\"flavor\": {\"id\": $flavor, \"vcpus\": 1, \"disk\": 1}}")
  case $status in
    200 | 409) ;;
    *) echo "POST /compute/v2.1/flavors answered $status" >&2; exit 1 ;;
  esac
done

neutron() { curl -s -H "X-Auth-Token: $token" -H 'Content-Type: application/json' "$@"; }
# network <name> <attributes> <subnet name> <subnet attributes>: prints the id of the network
# `name`, made by the cloud admin with the network `attributes` and an IPv4 subnet unless an
# earlier run against the same binary made it.
network() {
  local id
  id=$(neutron "$URL/networking/v2.0/networks?name=$1" |
    "$PY" -c 'import json, sys; print(next((n["id"] for n in json.load(sys.stdin)["networks"]), ""))') || return
  if [ -z "$id" ]; then
    id=$(neutron -X POST "$URL/networking/v2.0/networks" -d "{\"network\": {\"name\": \"$1\", $2}}" |
      "$PY" -c 'import json, sys; print(json.load(sys.stdin)["network"]["id"])') || return
    neutron -X POST "$URL/networking/v2.0/subnets" -o /dev/null -d "{\"subnet\": {\"name\": \"$3\",
      \"network_id\": \"$id\", \"ip_version\": 4, $4}}" || return
  fi
  echo "$id"
}

# Servers boot on one shared network with an IPv4 subnet (`[compute] fixed_network_name`).
network tempest-net '"shared": true' tempest-subnet '"cidr": "10.200.0.0/20"' >/dev/null

# Floating IPs come from an external network (`[network] public_network_id`), made as devstack
# makes `public` (172.24.4.0/24).
public_id=$(network public '"router:external": true' public-subnet \
  '"cidr": "172.24.4.0/24", "enable_dhcp": false')

# The shared network is routed to `public` (a router with its gateway there and an interface on
# tempest-subnet), as devstack routes its private network, so that its ports can take floating
# IPs; made unless an earlier run made it.
router_id=$(neutron "$URL/networking/v2.0/routers?name=tempest-router" |
  "$PY" -c 'import json, sys; print(next((r["id"] for r in json.load(sys.stdin)["routers"]), ""))')
if [ -z "$router_id" ]; then
  subnet_id=$(neutron "$URL/networking/v2.0/subnets?name=tempest-subnet" |
    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["subnets"][0]["id"])')
  router_id=$(neutron -X POST "$URL/networking/v2.0/routers" -d "{\"router\": {\"name\": \"tempest-router\",
    \"external_gateway_info\": {\"network_id\": \"$public_id\"}}}" |
    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["router"]["id"])')
  neutron -X PUT "$URL/networking/v2.0/routers/$router_id/add_router_interface" -o /dev/null \
    -d "{\"subnet_id\": \"$subnet_id\"}"
fi

sed -e "s|@WORKSPACE@|$WORKSPACE|g" -e "s|@URL@|$URL|g" -e "s|@IMAGE_REF@|$image_ref|g" \
  -e "s|@ADMIN_PASSWORD@|${TEMPEST_ADMIN_PASSWORD:-admin}|g" \
  -e "s|@PUBLIC_NETWORK_ID@|$public_id|g" \
  tempest/tempest.conf.in >"$WORKSPACE/etc/tempest.conf"

# A Tempest workspace is a directory with .stestr.conf pointing at the installed tests. As in
# Tempest's own, the tests of a class run in one worker, after one class setup.
tests_dir=$("$PY" -c 'import os, tempest; print(os.path.dirname(tempest.__file__))')
printf '[DEFAULT]\ntest_path=%s/test_discover\ntop_dir=%s\ngroup_regex=%s\n' "$tests_dir" \
  "$(dirname "$tests_dir")" '([^\.]*\.)*' >"$WORKSPACE/.stestr.conf"

include=$WORKSPACE/etc/selection.txt
exclude=$WORKSPACE/etc/exclusions.txt
grep -v '^\s*#' tempest/selection.txt | grep -v '^\s*$' >"$include"
grep -v '^\s*#' tempest/exclusions.txt | grep -v '^\s*$' >"$exclude"

cd "$WORKSPACE"
rm -rf .stestr && "$VENV/bin/stestr" init >/dev/null
export TEMPEST_CONFIG_DIR=$WORKSPACE/etc TEMPEST_CONFIG=tempest.conf
set +e
"$VENV/bin/stestr" list --include-list "$include" --exclude-list "$exclude" >"$WORKSPACE/listed.txt"
# TEMPEST_FILTER narrows the selection: only the listed tests it matches run.
grep -E -- "${TEMPEST_FILTER:-.}" "$WORKSPACE/listed.txt" >"$WORKSPACE/selected.txt"
"$VENV/bin/stestr" run --concurrency "$CONCURRENCY" --load-list "$WORKSPACE/selected.txt" \
  --subunit >"$WORKSPACE/results.subunit" 2>"$WORKSPACE/stestr.err"
set -e
"$PY" "$REPO/tempest/figures.py" "$WORKSPACE/selected.txt" "$WORKSPACE/results.subunit" \
  "$REPO/tempest/known-failures.txt"
