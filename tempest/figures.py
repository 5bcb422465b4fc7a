"""Figures and verdict of a Tempest run against the fake cloud.

Usage: figures.py <selected test ids> <subunit v2 stream> <known failures file>

Prints run / passed / failed / skipped per group, the skip reasons and every failure, and exits
non-zero when a test outside the known-failures list fails, or when fewer than 95 % of the tests
that ran passed. A selected test with no result of its own takes the outcome of its class setup (skipped or
failed).
"""

import collections
import re
import sys

import subunit
import testtools

GROUPS = [
    ("image v2", r"^tempest\.api\.image\.v2\."),
    ("volume types", r"^tempest\.api\.volume\.admin\.test_volume_type"),
    ("volume snapshots", r"^tempest\.api\.volume\..*snapshot"),
    ("volumes", r"^tempest\.api\.volume\."),
    ("compute images", r"^tempest\.api\.compute\.images\."),
    ("server groups", r"^tempest\.api\.compute\.servers\.test_server_group"),
    ("servers", r"^tempest\.api\.compute\.servers\."),
    ("flavors", r"^tempest\.api\.compute\.(admin\.)?(test_)?flavors"),
    ("key pairs", r"^tempest\.api\.compute\.(keypairs\.|admin\.test_keypairs)"),
    ("compute zones", r"^tempest\.api\.compute\.admin\.test_availability_zone"),
    ("volume attach", r"^tempest\.api\.compute\.volumes\."),
    ("identity v3", r"^tempest\.api\.identity\.v3\."),
    ("identity admin v3", r"^tempest\.api\.identity\.admin\.v3\."),
    ("network", r"^tempest\.api\.network\."),
    ("other *snapshot*", r"snapshot"),
]
MIN_PASS_RATIO = 0.95


def bare(test_id):
    """The test id without its `[id-...,tags]` attributes."""
    return test_id.split("[", 1)[0]


def read_results(path):
    results = {}

    def on_test(test):
        if test["status"] == "exists":  # listed, not run
            return
        reason = ""
        details = test["details"]
        if "reason" in details:
            reason = details["reason"].as_text()
        elif "traceback" in details:
            lines = details["traceback"].as_text().strip().splitlines()
            reason = lines[-1] if lines else ""
        results[bare(test["id"])] = (test["status"], reason)

    with open(path, "rb") as stream:
        case = subunit.ByteStreamToStreamResult(stream, non_subunit_name="stdout")
        result = testtools.StreamToDict(on_test)
        result.startTestRun()
        case.run(result)
        result.stopTestRun()
    return results


def read_known(path):
    known = []
    with open(path) as lines:
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if line:
                known.append(re.compile(line))
    return known


def tally(selected, results, groups, known, shown=lambda tid: tid):
    """Counts and prints run / passed / failed / skipped per group (`groups`: (name, regex)
    pairs, first match wins), the skip reasons and every failure (`!` when not in `known`).
    Returns the totals and the failures outside `known`."""
    # unittest reports a class whose setup skipped or failed as one `setUpClass (module.Class)`.
    class_results = {}
    for tid, outcome in results.items():
        found = re.match(r"^setUpClass \((.*)\)$", tid)
        if found:
            class_results[found.group(1)] = outcome

    def group_of(test_id):
        return next((name for name, pattern in groups if re.search(pattern, test_id)), "other")

    figures = collections.OrderedDict((name, collections.Counter()) for name, _ in groups + [("other", "")])
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
        print("%s%s\n      %s" % (mark, shown(tid), reason[:300]))
    return total, unexpected


def main():
    selected_path, subunit_path, known_path = sys.argv[1:4]
    with open(selected_path) as lines:
        selected = [bare(line.strip()) for line in lines if line.startswith("tempest.")]
    total, unexpected = tally(selected, read_results(subunit_path), GROUPS, read_known(known_path))

    ratio = total["passed"] / total["run"] if total["run"] else 0.0
    print("\npass ratio of the tests that ran: %.1f %% (minimum %d %%)" % (ratio * 100, MIN_PASS_RATIO * 100))
    if unexpected or ratio < MIN_PASS_RATIO or not total["run"]:
        print("Tempest verdict: FAIL")
        return 1
    print("Tempest verdict: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
