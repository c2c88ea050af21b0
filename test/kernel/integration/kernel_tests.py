"""Conformance of the Kindling kernel, checked by Debian's jupyter_kernel_test plus our own protocol checks.

Run with Debian's Python (the default python3 on this machine has no Jupyter):

    KINDLING_KERNEL_NAME=kindling JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 -m unittest -v kernel_tests

KINDLING_KERNEL_NAME=python3 runs the same checks against Debian's ipykernel: that is how the harness
itself was validated (a check that ipykernel passes is a check a kernel can pass). The vitest wrapper
kernel-conformance.int.test.ts runs this file against `kindling` and requires every test to pass and none
to be skipped.
"""

import unittest

import jupyter_kernel_test

from kernel_session import KERNEL_NAME, P, REPLY_TIMEOUT, drain_until_idle, text_of, warm_up
from lifecycle_checks import InterruptTests, RestartTests, ShutdownTests  # noqa: F401  (collected by unittest)
from protocol_checks import ProtocolTests  # noqa: F401
from wire_checks import WireTests  # noqa: F401


class KindlingKernelTests(jupyter_kernel_test.KernelTests):
    """Every optional check of jupyter_kernel_test 0.4.5 is switched on (none may skip)."""

    kernel_name = KERNEL_NAME

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        warm_up(cls.kc)

    language_name = P["language_name"]
    file_extension = P["file_extension"]

    code_hello_world = P["code_hello_world"]
    code_stderr = P["code_stderr"]
    completion_samples = P["completion_samples"]
    complete_code_samples = P["complete_code_samples"]
    incomplete_code_samples = P["incomplete_code_samples"]
    invalid_code_samples = P["invalid_code_samples"]
    code_page_something = P["code_page_something"]
    code_generate_error = P["code_generate_error"]
    code_execute_result = P["code_execute_result"]
    code_display_data = P["code_display_data"]
    code_history_pattern = P["code_history_pattern"]
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = P["code_inspect_sample"]
    code_clear_output = P["code_clear_output"]

    # jupyter_kernel_test 0.4.5 has no stdin check (newer releases call it code_input); ours follows.
    def test_input_request(self):
        """`await input("name? ")` sends input_request on stdin and the answer reaches the cell."""
        self.flush_channels()
        msg_id = self.kc.execute(P["code_input"], allow_stdin=True)
        request = self.kc.get_stdin_msg(timeout=REPLY_TIMEOUT)
        self.assertEqual(request["msg_type"], "input_request")
        self.assertEqual(request["parent_header"]["msg_id"], msg_id)
        self.assertEqual(request["content"]["prompt"], "name? ")
        self.assertFalse(request["content"].get("password", False))
        self.kc.input("Ada")
        reply = self.get_non_kernel_info_reply(timeout=REPLY_TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok")
        outputs = drain_until_idle(self.kc, msg_id)
        self.assertIn("hello Ada", text_of(outputs))



if __name__ == "__main__":
    unittest.main(verbosity=2)
