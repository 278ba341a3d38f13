"""Summarise an Odoo test log; exit non-zero on failures and on WARNING/ERROR/CRITICAL lines."""

import re
import sys

log_path, odoo_rc = sys.argv[1], int(sys.argv[2])
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
print(f"{passed} passed, {failed} failed")
sys.exit(0 if ok else 1)
