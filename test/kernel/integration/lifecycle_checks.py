"""Interrupt, restart and shutdown, driven through jupyter_client's KernelManager as every front end does.

KernelManager.interrupt_kernel() follows the kernelspec: `interrupt_mode: "message"` (kindling) sends
interrupt_request on control, `signal` (ipykernel) sends SIGINT. Either way the running cell must end with
an error reply within a bound, and the variables of earlier cells must survive.
"""

import time

from kernel_session import INTERRUPT_BOUND_SECONDS, P, REPLY_TIMEOUT, KernelSession, result_text


class InterruptTests(KernelSession):
    def interrupt_and_check(self, code):
        self.assert_value(P["code_set_kept"] + "\n" + P["code_read_kept"], "42")
        msg_id = self.kc.execute(code)
        time.sleep(0.5)  # let the cell get going
        started = time.monotonic()
        self.km.interrupt_kernel()
        reply = self.shell_reply(msg_id, timeout=REPLY_TIMEOUT)
        elapsed = time.monotonic() - started
        self.assertEqual(reply["content"]["status"], "error")
        self.assertRegex(reply["content"].get("ename", ""), "(?i)interrupt")
        self.assertLess(elapsed, INTERRUPT_BOUND_SECONDS, f"interrupt took {elapsed:.2f}s")
        self.assertTrue(self.km.is_alive(), "the kernel died instead of stopping the cell")
        self.assert_value(P["code_read_kept"], "42")

    def test_interrupt_busy_loop_keeps_state(self):
        self.interrupt_and_check(P["code_busy_loop"])

    def test_interrupt_pending_await_keeps_state(self):
        self.interrupt_and_check(P["code_pending_await"])

    def test_interrupt_loop_after_await_keeps_state(self):
        self.interrupt_and_check(P["code_loop_after_await"])


class RestartTests(KernelSession):
    def kernel_session_id(self):
        return self.shell_reply(self.kc.kernel_info())["header"]["session"]

    def test_restart_starts_a_fresh_kernel(self):
        self.assert_value(P["code_set_kept"] + "\n" + P["code_read_kept"], "42")
        before = self.kernel_session_id()
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=60)
        self.assertNotEqual(self.kernel_session_id(), before, "a restarted kernel has a new session id")
        reply, outputs = self.run_cell(P["code_kept_gone"])
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(result_text(outputs), P["kept_gone_result"])
        self.assert_value("6*7", "42")


class ShutdownTests(KernelSession):
    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        if cls.km.is_alive():
            cls.km.shutdown_kernel(now=True)

    def test_shutdown_during_a_busy_cell_exits_promptly(self):
        self.kc.execute(P["code_busy_loop"])
        time.sleep(0.3)
        started = time.monotonic()
        self.km.request_shutdown()
        while self.km.is_alive() and time.monotonic() - started < 5:
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        self.assertFalse(self.km.is_alive(), "kernel still running 5 s after shutdown_request")
        self.assertLess(elapsed, 5)
