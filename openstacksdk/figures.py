"""Figures and verdict of a run of openstacksdk's functional tests against the fake cloud.

Usage: figures.py <selected test ids> <subunit v2 stream> <known failures file>

Prints run / passed / failed / skipped per group, the skip reasons and every failure (marked `!`
when it is not in the known-failures list), and exits non-zero when a test outside that list
fails. Reading the stream and the lists is Tempest's figures script's (tempest/figures.py).
"""

import collections
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


def group_of(test_id):
    for name, pattern in GROUPS:
        if re.search(pattern, test_id):
            return name
    return "other"


def main():
    selected_path, subunit_path, known_path = sys.argv[1:4]
    with open(selected_path) as lines:
        selected = [line.strip() for line in lines if line.startswith(PREFIX)]
    results = tempest_figures.read_results(subunit_path)
    known = tempest_figures.read_known(known_path)
    class_results = {}
    for tid, outcome in results.items():
        found = re.match(r"^setUpClass \((.*)\)$", tid)
        if found:
            class_results[found.group(1)] = outcome

    figures = collections.OrderedDict((name, collections.Counter()) for name, _ in GROUPS + [("other", "")])
    skips = collections.Counter()
    failures = []
    for tid in selected:
        status, reason = results.get(tid) or class_results.get(tid.rsplit(".", 1)[0]) or ("fail", "no result")
        counter = figures[group_of(tid)]
        if status == "skip":
            counter["skipped"] += 1
            skips[reason] += 1
            continue
        counter["run"] += 1
        if status in ("success", "xfail"):
            counter["passed"] += 1
        else:
            counter["failed"] += 1
            failures.append((tid, reason))

    print("\n%-20s %5s %7s %7s %8s" % ("group", "run", "passed", "failed", "skipped"))
    total = collections.Counter()
    for name, counter in figures.items():
        if sum(counter.values()) == 0:
            continue
        total.update(counter)
        print("%-20s %5d %7d %7d %8d" % (name, counter["run"], counter["passed"], counter["failed"], counter["skipped"]))
    print("%-20s %5d %7d %7d %8d" % ("total", total["run"], total["passed"], total["failed"], total["skipped"]))

    print("\nskip reasons:")
    for reason, count in skips.most_common():
        print("  %4d  %s" % (count, reason[:200]))

    unexpected = [(tid, reason) for tid, reason in failures if not any(k.search(tid) for k in known)]
    print("\nfailed (%d, of which %d not in the known-failures list):" % (len(failures), len(unexpected)))
    for tid, reason in failures:
        mark = "  " if any(k.search(tid) for k in known) else "! "
        print("%s%s\n      %s" % (mark, tid[len(PREFIX):], reason[:300]))

    print("\n%d passed, %d failed, %d skipped" % (total["passed"], total["failed"], total["skipped"]))
    if unexpected or not total["run"]:
        print("openstacksdk verdict: FAIL")
        return 1
    print("openstacksdk verdict: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
