"""One kernel per test class and helpers that run a cell and collect what a user would see."""

import os
import re
import sys
import time
import unittest
from queue import Empty

from jupyter_client.manager import start_new_kernel

from profiles import profile_for

KERNEL_NAME = os.environ.get("KINDLING_KERNEL_NAME", "kindling")
P = profile_for(KERNEL_NAME)

# Generous bounds: they only keep a broken kernel from hanging the suite. Latency targets are measured
# in bench/kernel, not asserted here.
REPLY_TIMEOUT = 45
INTERRUPT_BOUND_SECONDS = 3.0
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def drain_until_idle(kc, msg_id, timeout=REPLY_TIMEOUT):
    """IOPub messages of one request, in order, up to and excluding its idle status."""
    deadline = time.monotonic() + timeout
    collected = []
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=0.5)
        except Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle":
                return collected
            continue
        collected.append(msg)
    raise AssertionError(f"no idle status for {msg_id} within {timeout}s; got {[m['msg_type'] for m in collected]}")


def text_of(outputs):
    """Everything a user would read from a cell's outputs, as one string without colour codes."""
    parts = []
    for msg in outputs:
        content = msg["content"]
        if msg["msg_type"] == "stream":
            parts.append(content["text"])
        elif msg["msg_type"] in ("execute_result", "display_data", "update_display_data"):
            parts.append(content["data"].get("text/plain", ""))
        elif msg["msg_type"] == "error":
            parts.append(content["ename"] + ": " + content["evalue"] + "\n" + "\n".join(content["traceback"]))
    return ANSI.sub("", "".join(parts))


def result_text(outputs):
    results = [m for m in outputs if m["msg_type"] == "execute_result"]
    return ANSI.sub("", results[-1]["content"]["data"]["text/plain"]) if results else None


class KernelSession(unittest.TestCase):
    """Base for our own checks: one kernel per class, a helper that runs a cell and collects its outputs."""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=60)
        warm_up(cls.kc)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)

    def setUp(self):
        flush(self.kc)

    def run_cell(self, code, timeout=REPLY_TIMEOUT, **kwargs):
        msg_id = self.kc.execute(code, **kwargs)
        reply = self.shell_reply(msg_id, timeout)
        outputs = drain_until_idle(self.kc, msg_id, timeout)
        return reply, outputs

    def shell_reply(self, msg_id, timeout=REPLY_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_shell_msg(timeout=0.5)
            except Empty:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
        raise AssertionError(f"no shell reply for {msg_id} within {timeout}s")

    def late_output_text(self, settle=0.5):
        """Text of what IOPub carries after a cell's reply (errors from timers and rejections that
        fire later), once the kernel had `settle` seconds to report them."""
        time.sleep(settle)
        seen = []
        while True:
            try:
                seen.append(self.kc.get_iopub_msg(timeout=0.2))
            except Empty:
                break
        return text_of(seen)

    def assert_value(self, code, expected):
        reply, outputs = self.run_cell(code)
        self.assertEqual(reply["content"]["status"], "ok", text_of(outputs))
        self.assertEqual(result_text(outputs), expected, f"value of {code!r}")


WARM_UP_TIMEOUT = 180


def warm_up(kc):
    """Runs one trivial cell before the checks, so a slow first compile (the TypeScript service starting,
    ~10 s on a loaded 2-core machine) is not charged to whichever check happens to run first; several
    checks (jupyter_kernel_test's own 15 s reply timeout) would otherwise fail on latency alone. First-cell
    latency is a benchmark figure (bench/kernel), printed here for the log."""
    started = time.monotonic()
    reply = kc.execute_interactive("0", timeout=WARM_UP_TIMEOUT, output_hook=lambda msg: None)
    if reply["content"]["status"] != "ok":
        raise AssertionError(f"warm-up cell failed: {reply['content']}")
    print(f"[{KERNEL_NAME}] first cell answered in {time.monotonic() - started:.2f}s", file=sys.stderr)
    flush(kc)


def flush(kc):
    for get in (kc.get_shell_msg, kc.get_iopub_msg, kc.get_stdin_msg):
        while True:
            try:
                get(timeout=0.05)
            except Empty:
                break


