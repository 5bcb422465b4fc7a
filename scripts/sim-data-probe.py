#!/usr/bin/env python3
"""A [data_probe] for the simulated cloud, standing in for the SSH commands a vendor gives for a
real one (docs/data.md): it writes a marker on every disk of a server, or prints what each disk
holds, one line per disk, through the cloud's control API.

    scripts/sim-data-probe.py write SERVER_ID MARKER [CLOUD_URL]
    scripts/sim-data-probe.py read SERVER_ID [CLOUD_URL]

CLOUD_URL defaults to http://127.0.0.1:5000; the control token, if any, is taken from
SIM_CONTROL_TOKEN.
"""

import json
import os
import sys
import urllib.request

KEY = "probe"


def call(base, method, path, body=None):
    request = urllib.request.Request(
        f"{base}/_sim{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    token = os.environ.get("SIM_CONTROL_TOKEN")
    if token:
        request.add_header("X-Sim-Control-Token", token)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("write", "read"):
        sys.exit(__doc__)
    action, server = argv[1], argv[2]
    rest = argv[3:]
    if action == "write":
        if not rest:
            sys.exit(__doc__)
        marker, rest = rest[0], rest[1:]
    base = (rest[0] if rest else "http://127.0.0.1:5000").rstrip("/")
    disks = call(base, "GET", f"/servers/{server}/disks")["disks"]
    for disk in disks:
        if action == "write":
            body = {"key": KEY, "value": marker, "device": disk["device"]}
            call(base, "POST", f"/servers/{server}/markers", body)
        else:
            print(disk["content"]["markers"].get(KEY, "(no marker)"))


if __name__ == "__main__":
    main(sys.argv)
