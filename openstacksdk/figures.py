"""Figures and verdict of a run of openstacksdk's functional tests against the fake cloud.

Usage: figures.py <selected test ids> <subunit v2 stream> <known failures file>

Prints run / passed / failed / skipped per group, the skip reasons and every failure (marked `!`
when it is not in the known-failures list), and exits non-zero when a test outside that list
fails. Reading the stream and the lists and the counting are Tempest's figures script's
(tempest/figures.py).
"""

import importlib.util
import os
import re
import sys

_spec = importlib.util.spec_from_file_location(
    "tempest_figures", os.path.join(os.path.dirname(__file__), "..", "tempest", "figures.py")
)
tempest_figures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tempest_figures)

PREFIX = "openstack.tests.functional."
GROUPS = [
    ("compute v2", r"\.compute\.v2\."),
    ("block storage v3", r"\.block_storage\.v3\."),
    ("image v2", r"\.image\.v2\."),
    ("identity v3", r"\.identity\.v3\."),
    ("cloud compute", r"\.cloud\.test_compute\."),
    ("cloud block storage", r"\.cloud\.test_block_storage\."),
    ("cloud image", r"\.cloud\.test_image\."),
    ("cloud identity", r"\.cloud\.test_identity\."),
    ("cloud other", r"\.cloud\."),
]


def main():
    selected_path, subunit_path, known_path = sys.argv[1:4]
    with open(selected_path) as lines:
        selected = [line.strip() for line in lines if line.startswith(PREFIX)]
    total, unexpected = tempest_figures.tally(
        selected,
        tempest_figures.read_results(subunit_path),
        GROUPS,
        tempest_figures.read_known(known_path),
        shown=lambda tid: tid[len(PREFIX):],
    )
    print("\n%d passed, %d failed, %d skipped" % (total["passed"], total["failed"], total["skipped"]))
    if unexpected or not total["run"]:
        print("openstacksdk verdict: FAIL")
        return 1
    print("openstacksdk verdict: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
