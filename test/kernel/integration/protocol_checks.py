"""Protocol behaviour beyond jupyter_kernel_test that JupyterLab and nbclient rely on (research-kernel.md §5)."""

import time
import uuid
from queue import Empty

from kernel_session import ANSI, P, REPLY_TIMEOUT, KernelSession, result_text, text_of


class ProtocolTests(KernelSession):
    def test_kernel_info_describes_the_language(self):
        msg_id = self.kc.kernel_info()
        reply = self.shell_reply(msg_id)
        content = reply["content"]
        self.assertEqual(content["status"], "ok")
        self.assertGreaterEqual(tuple(int(p) for p in content["protocol_version"].split(".")), (5, 3))
        info = content["language_info"]
        for field in ("name", "version", "mimetype", "file_extension", "codemirror_mode", "pygments_lexer"):
            self.assertTrue(info.get(field), f"language_info.{field} is missing: {info}")
        self.assertEqual(info["name"], P["language_name"])
        self.assertEqual(info["file_extension"], P["file_extension"])

    def test_execution_count_counts_stored_cells_only(self):
        first, _ = self.run_cell("1")
        n = first["content"]["execution_count"]
        second, outputs = self.run_cell("2")
        self.assertEqual(second["content"]["execution_count"], n + 1)
        inputs = [m for m in outputs if m["msg_type"] == "execute_input"]
        self.assertEqual([m["content"]["execution_count"] for m in inputs], [n + 1])
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual([m["content"]["execution_count"] for m in results], [n + 1])

        silent, silent_outputs = self.run_cell("6*7", silent=True)
        self.assertEqual(silent["content"]["status"], "ok")
        # Spec: a silent cell broadcasts no execute_input and has no execute_result (streams may still flow).
        published = {m["msg_type"] for m in silent_outputs}
        self.assertFalse(published & {"execute_input", "execute_result"}, f"silent cell published {published}")
        unstored, _ = self.run_cell("3", store_history=False)
        self.assertEqual(unstored["content"]["status"], "ok")
        after, _ = self.run_cell("4")
        self.assertEqual(after["content"]["execution_count"], n + 2, "silent/store_history=False must not count")

    def test_user_expressions_are_evaluated_after_the_cell(self):
        reply, _ = self.run_cell(P["code_set_kept"], user_expressions={"answer": P["code_read_kept"]})
        self.assertEqual(reply["content"]["status"], "ok")
        answer = reply["content"]["user_expressions"]["answer"]
        self.assertEqual(answer["status"], "ok", answer)
        self.assertEqual(ANSI.sub("", answer["data"]["text/plain"]), "42")

    def test_error_names_the_cell_line(self):
        reply, outputs = self.run_cell(P["code_error_line_three"])
        self.assertEqual(reply["content"]["status"], "error")
        errors = [m for m in outputs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        content = errors[0]["content"]
        self.assertIn(P["error_evalue"], content["evalue"])
        self.assertTrue(content["ename"])
        traceback = ANSI.sub("", "\n".join(content["traceback"]))
        self.assertRegex(traceback, r"(:3(:\d+)?\b|line 3\b|-> 3\b)", "traceback should point at line 3 of the cell")

    def test_no_output_after_idle(self):
        """Each cell's streams arrive between its busy and idle (Deno failed this 3 runs in 4)."""
        finished, late = set(), []
        codes = [P["code_print_line"].replace("{i}", str(i)) for i in range(30)]
        codes += [P["code_async_output"]] * 10
        for i, code in enumerate(codes):
            msg_id = self.kc.execute(code)
            seen = []
            deadline = time.monotonic() + REPLY_TIMEOUT
            while True:
                self.assertLess(time.monotonic(), deadline, f"run {i}: no idle")
                try:
                    msg = self.kc.get_iopub_msg(timeout=0.5)
                except Empty:
                    continue
                parent = msg["parent_header"].get("msg_id")
                if parent in finished:
                    late.append((i, msg["msg_type"]))
                elif parent == msg_id:
                    if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                        break
                    seen.append(msg)
            self.shell_reply(msg_id)
            expected = f"line {i}" if i < 30 else "after await"
            self.assertIn(expected, text_of(seen), f"run {i} lost its output")
            finished.add(msg_id)
        time.sleep(0.5)
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.1)
            except Empty:
                break
            if msg["parent_header"].get("msg_id") in finished:
                late.append(("after all", msg["msg_type"]))
        self.assertEqual(late, [], "messages published after their cell went idle")

    def test_stop_on_error_aborts_queued_cells(self):
        self.run_cell("0")  # start from an idle kernel with an empty queue
        failing = self.kc.execute(P["code_slow_error"])
        queued = [self.kc.execute(P["code_mark_ran"]) for _ in range(2)]
        self.assertEqual(self.shell_reply(failing)["content"]["status"], "error")
        for msg_id in queued:
            self.assertEqual(self.shell_reply(msg_id)["content"]["status"], "aborted")
        # The next request, sent after the error reply, runs: and the aborted cells did not.
        reply, outputs = self.run_cell(P["code_check_ran"])
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(result_text(outputs), P["false_literal"])

        # With stop_on_error=False the queue keeps going.
        failing = self.kc.execute(P["code_slow_error"], stop_on_error=False)
        queued = self.kc.execute(P["code_mark_ran"])
        self.assertEqual(self.shell_reply(failing)["content"]["status"], "error")
        self.assertEqual(self.shell_reply(queued)["content"]["status"], "ok")

    def test_password_input_is_flagged(self):
        msg_id = self.kc.execute(P["code_password"], allow_stdin=True)
        request = self.kc.get_stdin_msg(timeout=REPLY_TIMEOUT)
        self.assertEqual(request["parent_header"]["msg_id"], msg_id)
        self.assertTrue(request["content"]["password"])
        self.kc.input("hunter2")
        reply = self.shell_reply(msg_id)
        self.assertEqual(reply["content"]["status"], "ok")

    def test_input_without_stdin_fails_instead_of_hanging(self):
        reply, outputs = self.run_cell(P["code_input"], allow_stdin=False)
        self.assertEqual(reply["content"]["status"], "error", text_of(outputs))

    def test_display_handle_update(self):
        reply, outputs = self.run_cell(P["code_display_with_id"])
        self.assertEqual(reply["content"]["status"], "ok", text_of(outputs))
        shown = [m for m in outputs if m["msg_type"] == "display_data"]
        updated = [m for m in outputs if m["msg_type"] == "update_display_data"]
        self.assertEqual(len(shown), 1, [m["msg_type"] for m in outputs])
        self.assertEqual(len(updated), 1, [m["msg_type"] for m in outputs])
        self.assertEqual(shown[0]["content"]["transient"]["display_id"], "kt-1")
        self.assertEqual(updated[0]["content"]["transient"]["display_id"], "kt-1")
        self.assertIn("first", shown[0]["content"]["data"]["text/plain"])
        self.assertIn("second", updated[0]["content"]["data"]["text/plain"])

    def test_comm_info_and_unknown_comm_open(self):
        msg_id = self.kc.comm_info()
        reply = self.shell_reply(msg_id)
        self.assertEqual(reply["msg_type"], "comm_info_reply")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertIsInstance(reply["content"]["comms"], dict)

        comm_id = uuid.uuid4().hex
        msg = self.kc.session.msg("comm_open", {"comm_id": comm_id, "target_name": "kindling.no-such-target", "data": {}})
        self.kc.shell_channel.send(msg)
        deadline = time.monotonic() + REPLY_TIMEOUT
        while True:
            self.assertLess(time.monotonic(), deadline, "no comm_close for an unknown comm target")
            try:
                out = self.kc.get_iopub_msg(timeout=0.5)
            except Empty:
                continue
            if out["msg_type"] == "comm_close" and out["content"]["comm_id"] == comm_id:
                break
        # The kernel still answers afterwards.
        self.assert_value("6*7", "42")

    def test_heartbeat_beats(self):
        time.sleep(0.2)
        self.assertTrue(self.kc.hb_channel.is_beating())

    def test_error_from_a_timer_after_the_cell_does_not_kill_the_kernel(self):
        reply, _ = self.run_cell(P["code_timer_error_later"])
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertIn("late timer", self.late_output_text(), "the late error should be shown, not swallowed")
        self.assert_value("6*7", "42")

    def test_redeclaring_a_binding_in_a_new_cell(self):
        self.assertEqual(self.run_cell(P["code_redeclare_const"])[0]["content"]["status"], "ok")
        self.assert_value(P["code_redeclare_const_again"], "2")

    def test_completion_sees_earlier_cells(self):
        self.run_cell(P["code_declare_for_completion"])
        prefix = P["completion_prefix"]
        reply = self.shell_reply(self.kc.complete(prefix, len(prefix)))
        content = reply["content"]
        self.assertEqual(content["status"], "ok")
        self.assertIn(P["completion_expected"], content["matches"])
        self.assertEqual((content["cursor_start"], content["cursor_end"]), (0, len(prefix)))

    def test_completion_cursor_counts_code_points(self):
        code = P["code_unicode_completion"]
        cursor = len(code)  # Python's len counts code points, as protocol 5.2+ does
        content = self.shell_reply(self.kc.complete(code, cursor))["content"]
        self.assertIn(P["unicode_completion_match"], content["matches"])
        self.assertEqual(content["cursor_end"], cursor)
        self.assertEqual(content["cursor_start"], cursor - 2)

    def test_inspect_of_unknown_name_is_not_found(self):
        code = P["code_inspect_missing"]
        content = self.shell_reply(self.kc.inspect(code, len(code)))["content"]
        self.assertEqual(content["status"], "ok")
        self.assertFalse(content["found"])

