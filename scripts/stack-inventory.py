#!/usr/bin/env python3
"""What the `simulator` binary holds: the VNFM's VNF instances, VNF snapshots and subscriptions
(read through its SOL003 API, following paging links) and fault rules (its control API,
/_vnfm/faults, when it serves one), and the cloud's servers, volumes, images, volume
snapshots, networks, subnets, ports, security groups and projects (read through the control
API, /_sim/state).

    scripts/stack-inventory.py save FILE      writes the inventory as JSON
    scripts/stack-inventory.py compare FILE   fails, listing them by id, if resources exist now
                                              that FILE does not hold

CI takes an inventory before the conformance suite runs against the binary as an external
target and compares after it: the suite must leave nothing behind. Environment: SIM_CLOUD_URL
(default http://127.0.0.1:5000), SIM_VNFM_URL (default http://127.0.0.1:8250), VNFM_USER and
VNFM_PASSWORD (default admin/admin).
"""

import base64
import json
import os
import sys
import urllib.error
import urllib.request

CLOUD = os.environ.get("SIM_CLOUD_URL", "http://127.0.0.1:5000").rstrip("/")
VNFM_BASE = os.environ.get("SIM_VNFM_URL", "http://127.0.0.1:8250").rstrip("/")
VNFM = VNFM_BASE + "/or_vnfm/vnflcm/v2"
CREDENTIALS = base64.b64encode(
    f"{os.environ.get('VNFM_USER', 'admin')}:{os.environ.get('VNFM_PASSWORD', 'admin')}".encode()
).decode()


def get(url, vnfm):
    request = urllib.request.Request(url)
    if vnfm:
        request.add_header("Authorization", f"Basic {CREDENTIALS}")
        request.add_header("Version", "2.0.0")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response), response.headers.get_all("Link") or []


def next_link(links):
    """The target of the `next` relation among the Link header lines (RFC 8288)."""
    for value in links:
        for link in split_links(value):
            target, _, params = link.partition(";")
            rels = [p.split("=", 1)[1].strip('" ') for p in params.split(";") if "=" in p
                    and p.split("=", 1)[0].strip().lower() == "rel"]
            if any("next" in rel.lower().split() for rel in rels):
                return target.strip().lstrip("<").rstrip(">")
    return None


def split_links(value):
    """The links of one Link value: split on the commas outside <...> and quoted strings."""
    links, current, in_target, in_quotes = [], "", False, False
    for char in value:
        if char == "<" and not in_quotes:
            in_target = True
        elif char == ">" and not in_quotes:
            in_target = False
        elif char == '"' and not in_target:
            in_quotes = not in_quotes
        elif char == "," and not in_target and not in_quotes:
            links.append(current)
            current = ""
            continue
        current += char
    return links + [current]


def vnfm_ids(collection):
    ids, url = [], f"{VNFM}/{collection}"
    while url:
        page, links = get(url, vnfm=True)
        ids += [item["id"] for item in page]
        url = next_link(links)
    return ids


def inventory():
    state, _ = get(f"{CLOUD}/_sim/state", vnfm=False)
    found = {
        f"vnfm {c}": vnfm_ids(c) for c in ("vnf_instances", "vnf_snapshots", "subscriptions")
    }
    kinds = ("servers", "volumes", "images", "snapshots", "networks", "subnets", "ports",
             "security_groups", "projects")
    for kind in kinds:
        found[f"cloud {kind}"] = [item["id"] for item in state.get(kind, [])]
    found["vnfm fault rules"] = vnfm_fault_rules()
    return found


def vnfm_fault_rules():
    """The ids of the VNFM's own fault rules; none when it serves no control API (the
    spec-minimal profile: the path is then an unknown one of the ETSI API, so the request
    carries its credentials and Version to get the plain 404)."""
    try:
        rules, _ = get(f"{VNFM_BASE}/_vnfm/faults", vnfm=True)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return []
        raise
    return [rule["id"] for rule in rules["faults"]]


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("save", "compare"):
        sys.exit(__doc__)
    action, path = sys.argv[1:]
    now = inventory()
    if action == "save":
        with open(path, "w") as f:
            json.dump(now, f, indent=1)
        print("inventory: " + ", ".join(f"{len(ids)} {kind}" for kind, ids in now.items()))
        return
    with open(path) as f:
        before = json.load(f)
    left = {kind: sorted(set(ids) - set(before.get(kind, []))) for kind, ids in now.items()}
    left = {kind: ids for kind, ids in left.items() if ids}
    if left:
        print("left behind on the target since the inventory:")
        for kind, ids in left.items():
            print(f"  {kind} ({len(ids)}): {' '.join(ids)}")
        sys.exit(1)
    print("inventory: nothing was left behind")


if __name__ == "__main__":
    main()
