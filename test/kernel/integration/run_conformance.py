"""Runs kernel_tests.py and writes one JSON record per check, so the vitest wrapper can assert on each.

    /usr/bin/python3 run_conformance.py RESULTS.json [unittest names...]

Sub-tests (jupyter_kernel_test's per-sample checks) are recorded on their own. Prints a table and the
closing line "N passed, N failed, N skipped"; exits 1 when anything failed.
"""

import json
import os
import sys
import time
import unittest

from profiles import NOT_APPLICABLE


class RecordingResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = []
        self._started = {}

    def startTest(self, test):
        self._started[test.id()] = time.monotonic()
        super().startTest(test)

    def _record(self, test, status, detail=""):
        started = self._started.get(getattr(test, "test_case", test).id(), time.monotonic())
        self.records.append(
            {"id": test.id(), "status": status, "detail": detail, "seconds": round(time.monotonic() - started, 3)}
        )

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "passed")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failed", self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        # setUpClass errors arrive as a pseudo-test without the usual id structure.
        self._record(test, "failed", self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skipped", reason)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is None:
            self._record(subtest, "passed")
        elif issubclass(err[0], unittest.SkipTest):
            self._record(subtest, "skipped", str(err[1]))
        else:
            self._record(subtest, "failed", self._exc_info_to_string(err, test))


def main():
    out_path = sys.argv[1]
    names = sys.argv[2:] or ["kernel_tests"]
    suite = unittest.defaultTestLoader.loadTestsFromNames(names)
    runner = unittest.TextTestRunner(resultclass=RecordingResult, verbosity=2, stream=sys.stderr)
    result = runner.run(suite)
    records = result.records
    kernel = os.environ.get("KINDLING_KERNEL_NAME", "kindling")
    with open(out_path, "w") as f:
        json.dump({"kernel": kernel, "records": records, "notApplicable": NOT_APPLICABLE.get(kernel, {})}, f, indent=1)
    counts = {s: sum(1 for r in records if r["status"] == s) for s in ("passed", "failed", "skipped")}
    for r in records:
        print(f"{r['status'].upper():8} {r['seconds']:7.2f}s  {r['id']}")
    print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
    sys.exit(0 if counts["failed"] == 0 else 1)


if __name__ == "__main__":
    main()
