#!/usr/bin/env bash
# Drives the fake cloud with the unmodified `openstack` CLI through a snapshot-shaped session.
# Usage: scripts/openstack-cli-session.sh <path to openstack> [cloud URL] (the cloud must be
# serving at the URL, http://127.0.0.1:5000 by default, or OS_* variables must point at it). Any
# failed step exits non-zero.
set -euo pipefail

OPENSTACK=${1:?usage: $0 <openstack executable> [cloud URL]}
URL=${2:-http://127.0.0.1:5000}
export OS_AUTH_URL=${OS_AUTH_URL:-${URL%/}/identity/v3}
export OS_USERNAME=${OS_USERNAME:-admin} OS_PASSWORD=${OS_PASSWORD:-admin}
export OS_PROJECT_NAME=${OS_PROJECT_NAME:-admin}
export OS_USER_DOMAIN_NAME=${OS_USER_DOMAIN_NAME:-Default}
export OS_PROJECT_DOMAIN_NAME=${OS_PROJECT_DOMAIN_NAME:-Default}
export OS_IDENTITY_API_VERSION=3

os() { "$OPENSTACK" "$@"; }
step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
expect_contains() { # <haystack> <needle> <what>
  grep -qF -- "$2" <<<"$1" || fail "$3: expected to find '$2' in: $1"
}
# wait_for <description> <command...>: re-runs the command until it succeeds, 30 s at most.
wait_for() {
  local what=$1; shift
  local deadline=$((SECONDS + 30))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "timed out waiting for $what"
    sleep 0.2
  done
}
status_is() { [ "$(os "$1" show "$2" -f value -c status)" = "$3" ]; }
gone() { ! os "$1" show "$2" >/dev/null 2>&1; }
tenant_status_is() { [ "$(tenant server show "$1" -f value -c status)" = "$2" ]; }

step "token issue"
token=$(os token issue -f value -c id)
[ -n "$token" ] || fail "no token"

step "image, flavor, server, volume and volume snapshot lists"
expect_contains "$(os image list -f value -c Name -c Status)" "cirros-0.6.2-x86_64-disk active" "image list"
expect_contains "$(os flavor list -f value -c Name)" "m1.tiny" "flavor list"
os server list >/dev/null
os volume list >/dev/null
os volume snapshot list >/dev/null
os image show cirros-0.6.2-x86_64-disk -f value -c status | grep -qx active || fail "image show"
os flavor show m1.tiny -f value -c vcpus | grep -qx 1 || fail "flavor show"

step "server create from an image"
os server create --image cirros-0.6.2-x86_64-disk --flavor m1.tiny --nic none --wait cli-vm-image -f value -c status | grep -qx ACTIVE \
  || fail "image-backed server not ACTIVE"

step "server create from a bootable volume, with a data volume"
os volume create --image cirros-0.6.2-x86_64-disk --size 1 --bootable cli-boot-vol >/dev/null
wait_for "boot volume available" status_is volume cli-boot-vol available
[ "$(os volume show cli-boot-vol -f value -c bootable | tr A-Z a-z)" = true ] || fail "volume not bootable"
os server create --volume cli-boot-vol --flavor m1.tiny --nic none --wait cli-vm-volume -f value -c status | grep -qx ACTIVE \
  || fail "volume-backed server not ACTIVE"
os volume create --size 2 cli-data-vol >/dev/null
wait_for "data volume available" status_is volume cli-data-vol available
os server add volume cli-vm-volume cli-data-vol >/dev/null
wait_for "data volume in-use" status_is volume cli-data-vol in-use
expect_contains "$(os server show cli-vm-volume -f value -c volumes_attached)" "$(os volume show cli-data-vol -f value -c id)" "server show volumes_attached"

step "server image create --wait (image-backed)"
os server image create --name cli-snap-image --wait cli-vm-image -f value -c status | grep -qx active \
  || fail "image-backed snapshot not active"

step "image show and image save: the snapshot's checksum is the MD5 of its data"
checksum=$(os image show cli-snap-image -f value -c checksum)
[[ $checksum =~ ^[0-9a-f]{32}$ ]] || fail "image-backed snapshot checksum: '$checksum'"
saved=$(mktemp)
os image save --file "$saved" cli-snap-image
[ "$(md5sum <"$saved" | cut -d' ' -f1)" = "$checksum" ] || fail "image save: data does not match checksum $checksum"
rm -f "$saved"

step "server image create --wait (volume-backed): Cinder snapshots named 'snapshot for <name>'"
os server image create --name cli-snap-volume --wait cli-vm-volume -f value -c status | grep -qx active \
  || fail "volume-backed snapshot not active"
snaps=$(os volume snapshot list -f value -c Name)
[ "$(grep -c '^snapshot for cli-snap-volume$' <<<"$snaps")" = 2 ] || fail "expected 2 'snapshot for cli-snap-volume' snapshots, got: $snaps"
expect_contains "$(os image show cli-snap-volume -f json -c properties)" "block_device_mapping" "snapshot image properties"
# Nova activates a volume-backed server's image with an empty upload: the MD5 of no data.
[ "$(os image show cli-snap-volume -f value -c checksum)" = d41d8cd98f00b204e9800998ecf8427e ] \
  || fail "volume-backed snapshot checksum"

step "volume snapshot create --force on an in-use volume"
os volume snapshot create --volume cli-data-vol --force cli-manual-snap >/dev/null
wait_for "manual snapshot available" status_is "volume snapshot" cli-manual-snap available

step "a volume with snapshots cannot be deleted"
os server remove volume cli-vm-volume cli-data-vol
wait_for "data volume detached" status_is volume cli-data-vol available
if out=$(os volume delete cli-data-vol 2>&1); then fail "volume with snapshots was deleted"; fi
expect_contains "$out" "have snapshots" "refusal to delete a volume with snapshots"

step "image delete leaves the Cinder snapshots behind"
os image delete cli-snap-image cli-snap-volume
wait_for "snapshot image gone" gone image cli-snap-volume
[ "$(os volume snapshot list -f value -c Name | grep -c '^snapshot for cli-snap-volume$')" = 2 ] \
  || fail "Cinder snapshots disappeared with the image"

step "network, subnet and ports"
os network create cli-net -f value -c status | grep -qx ACTIVE || fail "network not ACTIVE"
expect_contains "$(os network list -f value -c Name)" "cli-net" "network list"
os subnet create --network cli-net --subnet-range 10.50.0.0/24 cli-subnet -f value -c gateway_ip | grep -qx 10.50.0.1 \
  || fail "subnet gateway"
expect_contains "$(os network show cli-net -f value -c subnets)" "$(os subnet show cli-subnet -f value -c id)" "network show subnets"
os port create --network cli-net --fixed-ip subnet=cli-subnet,ip-address=10.50.0.10 cli-port -f value -c status | grep -qx DOWN \
  || fail "port not DOWN"
expect_contains "$(os port show cli-port -f value -c fixed_ips)" "10.50.0.10" "port show fixed_ips"
if out=$(os port create --network cli-net --fixed-ip subnet=cli-subnet,ip-address=10.50.0.10 cli-port-2 2>&1); then
  fail "a second port got 10.50.0.10"
fi
expect_contains "$out" "already allocated" "refusal of an address in use"
expect_contains "$(os port list --network cli-net -f value -c Name)" "cli-port" "port list"

step "server create --nic net-id=... and --nic port-id=..., server show addresses"
net_id=$(os network show cli-net -f value -c id)
port_id=$(os port show cli-port -f value -c id)
os server create --image cirros-0.6.2-x86_64-disk --flavor m1.tiny --nic net-id="$net_id" --nic port-id="$port_id" \
  --wait cli-vm-net -f value -c status | grep -qx ACTIVE || fail "server on cli-net not ACTIVE"
addresses=$(os server show cli-vm-net -f value -c addresses)
expect_contains "$addresses" "cli-net" "server show addresses"
expect_contains "$addresses" "10.50.0.10" "server show addresses (given port)"
[ "$(os port show cli-port -f value -c status)" = ACTIVE ] || fail "given port not ACTIVE"
[ "$(os port list --server cli-vm-net -f value -c ID | wc -l)" = 2 ] || fail "server ports"
os server delete --wait cli-vm-net
[ "$(os port show cli-port -f value -c device_id)" = "" ] || fail "given port still bound"
[ "$(os port list --network cli-net -f value -c ID | wc -l)" = 1 ] || fail "Nova's port left behind"
os port delete cli-port
os subnet delete cli-subnet
os network delete cli-net
! os network list -f value -c Name | grep -q '^cli-' || fail "networks left"

step "snapshot, server and volume delete"
session_snapshots=$(os volume snapshot list -f value -c ID -c Name | awk '/cli-/ {print $1}')
for id in $session_snapshots; do os volume snapshot delete "$id"; done
for id in $session_snapshots; do wait_for "snapshot $id gone" gone "volume snapshot" "$id"; done
os server delete --wait cli-vm-image cli-vm-volume
os volume delete cli-data-vol cli-boot-vol
wait_for "data volume gone" gone volume cli-data-vol
wait_for "boot volume gone" gone volume cli-boot-vol
# Only the session's own resources (named cli-*) are checked: the binary's demo VNF stays.
! os server list -f value -c Name | grep -q '^cli-' || fail "servers left"
! os volume list -f value -c Name | grep -q '^cli-' || fail "volumes left"
! os volume snapshot list -f value -c Name | grep -q 'cli-' || fail "volume snapshots left"
! os image list -f value -c Name | grep -q '^cli-' || fail "images left"

step "tenant setup as a VNFM's installer does it: project, user, role, private flavor with extra specs, key pair, server group"
os project create --description "a VNF's tenant" cli-tenant >/dev/null
os user create --project cli-tenant --password cli-tenant-secret cli-operator >/dev/null
os role add --project cli-tenant --user cli-operator member
expect_contains "$(os role assignment list --project cli-tenant --user cli-operator --names -f value -c Role)" "member" \
  "role assignment list"
os flavor create --private --project cli-tenant --vcpus 2 --ram 1024 --disk 1 \
  --property hw:cpu_policy=dedicated --property hw:mem_page_size=large cli-vdu-flavor >/dev/null
expect_contains "$(os flavor show cli-vdu-flavor -f value -c properties)" "dedicated" "flavor extra specs"
expect_contains "$(os flavor show cli-vdu-flavor -f value -c os-flavor-access:is_public)" "False" "private flavor"
# The tenant's own user does the rest, as the VNFM does with the credentials it is given.
tenant() {
  OS_USERNAME=cli-operator OS_PASSWORD=cli-tenant-secret OS_PROJECT_NAME=cli-tenant "$OPENSTACK" "$@"
}
key_file=$(mktemp)
trap 'rm -f "$key_file"' EXIT
tenant keypair create cli-key >"$key_file"
grep -q "PRIVATE KEY" "$key_file" || fail "no private key from keypair create"
expect_contains "$(tenant keypair list -f value -c Name)" "cli-key" "keypair list"
[ -z "$(os keypair list -f value -c Name | grep -x cli-key)" ] || fail "the admin sees the tenant user's key pair"
group_id=$(tenant server group create --policy anti-affinity cli-group -f value -c id)
[ -n "$group_id" ] || fail "no server group"
expect_contains "$(tenant flavor list -f value -c Name)" "cli-vdu-flavor" "the tenant sees its private flavor"

step "boot into the anti-affinity group: one server per compute host, a third refused with No valid host"
vnfc_ids=()
for n in 1 2 3; do
  vnfc_ids+=("$(tenant server create --image cirros-0.6.2-x86_64-disk --flavor cli-vdu-flavor --key-name cli-key \
    --hint group="$group_id" --nic none "cli-vnfc-$n" -f value -c id)")
done
wait_for "cli-vnfc-1 ACTIVE" tenant_status_is "${vnfc_ids[0]}" ACTIVE
wait_for "cli-vnfc-2 ACTIVE" tenant_status_is "${vnfc_ids[1]}" ACTIVE
wait_for "cli-vnfc-3 ERROR" tenant_status_is "${vnfc_ids[2]}" ERROR
expect_contains "$(tenant server show "${vnfc_ids[2]}" -f value -c fault)" "No valid host was found" "fault of the third"
host_1=$(os server show "${vnfc_ids[0]}" -f value -c OS-EXT-SRV-ATTR:host)
host_2=$(os server show "${vnfc_ids[1]}" -f value -c OS-EXT-SRV-ATTR:host)
[ -n "$host_1" ] && [ "$host_1" != "$host_2" ] || fail "anti-affinity members on hosts '$host_1' and '$host_2'"
expect_contains "$(tenant server show "${vnfc_ids[0]}" -f value -c key_name)" "cli-key" "server key_name"
[ "$(tenant server group show cli-group -f json -c members | grep -c -- '-')" = 3 ] || fail "server group members"

step "tenant teardown: servers, server group, key pair, flavor, user and project"
tenant server delete --wait "${vnfc_ids[@]}"
tenant server group delete cli-group
tenant keypair delete cli-key
os flavor delete cli-vdu-flavor
os user delete cli-operator
os project delete cli-tenant
! os project list -f value -c Name | grep -q '^cli-' || fail "projects left"
! os user list -f value -c Name | grep -q '^cli-' || fail "users left"
! os flavor list --all -f value -c Name | grep -q '^cli-' || fail "flavors left"

printf '\nopenstack CLI session: all steps passed\n'
