#!/usr/bin/python3
"""Compares authprobe's JUnit report with the documented expected failures.

    verdicts.py REPORT.xml expected-failures.yaml

Prints one line per check, then exits 1 when the verdicts and the documentation disagree:
a check errored, a check failed or warned without being listed, or a listed check did not
fall short (the finding went away: update expected-failures.yaml and the README) unless
its verdict depends on timing (MAY_PASS).
"""
import re
import sys
import xml.etree.ElementTree as ET

# Findings whose verdict depends on timing, so a pass is no news. race/no-logout passes
# when all parallel refreshes land inside the window between SimpleJWT's blacklist check
# and its insert: nobody is refused, because the token family forks instead (which
# race/single-family reports).
MAY_PASS = {"race/no-logout"}


def verdicts(report_path):
    """Maps each check ID to (verdict, message), read back from authprobe's JUnit report."""
    out = {}
    for case in ET.parse(report_path).getroot().iter("testcase"):
        failure, error, skipped = case.find("failure"), case.find("error"), case.find("skipped")
        system_out = case.findtext("system-out") or ""
        if failure is not None:
            out[case.get("name")] = ("fail", failure.get("message", ""))
        elif error is not None:
            out[case.get("name")] = ("error", error.get("message", ""))
        elif skipped is not None and skipped.get("message", "").startswith("expected failure: "):
            message = skipped.get("message")[len("expected failure: "):]
            out[case.get("name")] = ("expected", message)
        elif skipped is not None:
            out[case.get("name")] = ("skip", skipped.get("message", ""))
        elif system_out.startswith("warn: "):
            out[case.get("name")] = ("warn", system_out[len("warn: "):].splitlines()[0])
        else:
            out[case.get("name")] = ("pass", system_out.splitlines()[0] if system_out else "")
    return out


def expected_ids(path):
    """The check IDs listed in the expected-failures file (a YAML list of {id, reason})."""
    with open(path, encoding="utf-8") as f:
        return re.findall(r"^\s*-?\s*id:\s*(\S+)\s*$", f.read(), flags=re.MULTILINE)


def main(report_path, expected_path):
    got = verdicts(report_path)
    listed = set(expected_ids(expected_path))
    for check_id, (verdict, message) in got.items():
        print(f"{verdict.upper():8} {check_id:34} {message[:110]}")

    problems = []
    for check_id, (verdict, _) in got.items():
        if verdict == "error":
            problems.append(f"{check_id}: the harness could not decide (error)")
        elif verdict in ("fail", "warn") and check_id not in listed:
            problems.append(f"{check_id}: {verdict} but not in {expected_path}")
    for check_id in sorted(listed):
        verdict = got.get(check_id, ("missing", ""))[0]
        if verdict not in ("expected", "warn") and not (
            verdict == "pass" and check_id in MAY_PASS
        ):
            problems.append(
                f"{check_id}: listed as falling short but its verdict is {verdict}; "
                "if the finding is gone, update expected-failures.yaml and the README"
            )

    if problems:
        print("\ne2e-django: verdicts differ from the documented ones:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print(f"\ne2e-django: verdicts as documented ({len(listed)} expected findings)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
