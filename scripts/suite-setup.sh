# Sourced, with its arguments, by the scripts that run an OpenStack test suite against a running
# `simulator` binary (tempest.sh, openstacksdk-functional.sh): moves to the repository (REPO),
# takes the cloud's URL from the first argument (URL, default http://127.0.0.1:5000, the binary's
# default) and defines `control`.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$(pwd)

URL=${1:-http://127.0.0.1:5000}
URL=${URL%/}

# control <path> <json>: POST to the control API; a 409 (made by an earlier run against the same
# binary) is fine, since names and passwords are fixed.
control() {
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/_sim/$1" -d "$2")
  case $status in
    201 | 409) ;;
    *) echo "POST /_sim/$1 answered $status" >&2; exit 1 ;;
  esac
}
