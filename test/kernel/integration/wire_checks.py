"""Protocol 5.5 details below the client libraries: IOPub welcome, control while busy, interrupt_reply."""

import time

import zmq
from jupyter_client.session import Session

from kernel_session import P, REPLY_TIMEOUT, KernelSession, text_of


class WireTests(KernelSession):
    def test_iopub_welcome_on_subscribe(self):
        """5.5: a new IOPub subscriber gets iopub_welcome, so it knows it will not miss output."""
        info = self.km.get_connection_info()
        # Our own Session: the client's one remembers signatures, and would reject the same message
        # arriving on its own IOPub socket as a replay.
        session = Session(key=info["key"], signature_scheme=info["signature_scheme"])
        socket = zmq.Context.instance().socket(zmq.SUB)
        try:
            socket.linger = 0
            socket.connect(f"{info['transport']}://{info['ip']}:{info['iopub_port']}")
            socket.setsockopt(zmq.SUBSCRIBE, b"")
            deadline = time.monotonic() + 5
            seen = []
            while time.monotonic() < deadline:
                if not socket.poll(200):
                    continue
                frames = socket.recv_multipart()
                _, frames = session.feed_identities(frames)
                msg = session.deserialize(frames)
                seen.append(msg["msg_type"])
                if msg["msg_type"] == "iopub_welcome":
                    return
            self.fail(f"no iopub_welcome within 5 s after subscribing; saw {seen}")
        finally:
            socket.close()

    def test_kernel_info_lists_supported_features(self):
        content = self.shell_reply(self.kc.kernel_info())["content"]
        self.assertIsInstance(content.get("supported_features"), list, "5.5 kernel_info_reply.supported_features")

    def test_control_answers_while_a_cell_is_busy(self):
        """Front ends ask kernel_info on control to check liveness; a busy cell must not block it."""
        msg_id = self.kc.execute(P["code_busy_three_seconds"])
        time.sleep(0.5)
        started = time.monotonic()
        request = self.kc.session.msg("kernel_info_request", {})
        self.kc.control_channel.send(request)
        reply = self.kc.get_control_msg(timeout=REPLY_TIMEOUT)
        elapsed = time.monotonic() - started
        self.assertEqual(reply["parent_header"]["msg_id"], request["header"]["msg_id"])
        self.assertLess(elapsed, 1.0, f"control answered after {elapsed:.2f}s")
        self.assertEqual(self.shell_reply(msg_id)["content"]["status"], "ok")

    def test_interrupt_request_on_control_gets_an_ok_reply(self):
        msg_id = self.kc.execute(P["code_busy_loop"])
        time.sleep(0.5)
        request = self.kc.session.msg("interrupt_request", {})
        self.kc.control_channel.send(request)
        reply = self.kc.get_control_msg(timeout=REPLY_TIMEOUT)
        self.assertEqual(reply["msg_type"], "interrupt_reply")
        self.assertEqual(reply["content"].get("status"), "ok")
        self.assertEqual(self.shell_reply(msg_id)["content"]["status"], "error")

    def test_rejection_after_the_cell_is_shown_and_survived(self):
        reply, _ = self.run_cell(P["code_rejection_later"])
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertIn("late rejection", self.late_output_text(), "the rejection should be shown, not swallowed")
        self.assert_value("6*7", "42")
