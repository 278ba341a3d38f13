"""Summarise an Odoo test log; exit non-zero on failures and on WARNING/ERROR/CRITICAL lines.

    test_report.py ODOO_LOG ODOO_RC [OTHER_LOG OTHER_RC]...

Each OTHER_LOG is a test outside Odoo (scripts/test_restore_drill.py) whose output ends with
"N passed, N failed"; its figures are added to the Odoo tests'."""

import re
import sys

log_path, odoo_rc = sys.argv[1], int(sys.argv[2])
others = list(zip(sys.argv[3::2], (int(rc) for rc in sys.argv[4::2]), strict=True))
LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (WARNING|ERROR|CRITICAL) ")
# Headless Chromium opens spare "preconnect" sockets that never send a request; Odoo's test server
# closes them after 5 s and werkzeug logs that as an ERROR. It says nothing about the code under
# test (it shows up when the first page of a tour builds its assets on a loaded machine).
NOISE = re.compile(
    r" ERROR \? werkzeug: 127\.0\.0\.1 - - \[.*\] Request timed out: TimeoutError\('timed out'\)"
)
SUMMARY = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")

bad, summary = [], None
with open(log_path, encoding="utf-8", errors="replace") as f:
    lines = f.readlines()
for i, line in enumerate(lines):
    m = SUMMARY.search(line)
    if m:
        summary = tuple(int(x) for x in m.groups())
    if LEVEL.match(line) and not SUMMARY.search(line) and not NOISE.search(line):
        bad.append((i, line.rstrip()))

if bad:
    print(f"[test] {len(bad)} WARNING/ERROR lines in the Odoo log:")
    for i, line in bad[:60]:
        print("   ", line[:400])
        for extra in lines[i + 1 : i + 25]:  # the traceback that follows, if any
            if LEVEL.match(extra) or re.match(r"^\d{4}-\d\d-\d\d ", extra):
                break
            print("      ", extra.rstrip()[:300])
if summary is None:
    tail = "".join(lines[-30:])
    print(f"[test] Odoo stopped before its test summary (exit {odoo_rc}). Log tail:\n{tail}")
    passed, failed = 0, 1
else:
    failures, errors, total = summary
    failed = failures + errors
    passed = total - failed
    if total == 0:
        print("[test] no test ran")
ok = summary is not None and failed == 0 and passed > 0 and not bad and odoo_rc == 0
if not ok and failed == 0 and passed > 0:
    print("[test] FAILED: every test passed, but the log has the WARNING/ERROR lines above")

OTHER_SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$")
for other_log, other_rc in others:
    with open(other_log, encoding="utf-8", errors="replace") as f:
        other_lines = f.read().splitlines()
    found = next(
        (OTHER_SUMMARY.match(line) for line in reversed(other_lines) if OTHER_SUMMARY.match(line)), None
    )
    other_passed, other_failed = (int(found[1]), int(found[2])) if found else (0, 1)
    if other_failed or other_rc or not found:
        print(
            f"[test] {other_log}: {other_passed} passed, {other_failed} failed (exit {other_rc}). Failures:"
        )
        for line in other_lines:
            if "FAIL" in line or "Traceback" in line:
                print("   ", line[:600])
        if not found:
            print("    (no summary line) " + "\n    ".join(other_lines[-20:]))
        other_failed = max(other_failed, 1)
        ok = False
    else:
        print(f"[test] {other_log}: {other_passed} passed")
    passed += other_passed
    failed += other_failed
print(f"{passed} passed, {failed} failed")
sys.exit(0 if ok else 1)
