"""Per-kernel code snippets for the conformance checks.

`kindling` is the kernel under test. `python3` (Debian's ipykernel) is the control: the same checks run
against it prove the harness asks only for things a real kernel does. An empty snippet means "no such
feature in this language"; the check then skips, and the vitest wrapper refuses skips for `kindling`
except the ones listed in NOT_APPLICABLE.
"""

DISPLAY_SYMBOL_VALUE = (
    '({ [Symbol.for("Jupyter.display")]() { return { "text/html": "<b>x</b>", "text/plain": "x" }; } })'
)

KINDLING = {
    "language_name": "typescript",
    "file_extension": ".ts",
    "code_hello_world": 'console.log("hello, world")',
    "code_stderr": 'console.error("something went wrong")',
    "completion_samples": [
        {"text": "Math.ab", "matches": {"abs"}},
        {"text": "const kindlingWord: string = 'abc'; kindlingWord.toUpperC", "matches": {"toUpperCase"}},
    ],
    "complete_code_samples": ["1 + 1", "const x: number = 1;", "function f(a: number) { return a; }", "await Promise.resolve(1)"],
    "incomplete_code_samples": ["function f(a: number) {", "const xs = [1, 2,", "const s = `abc", "if (true) {"],
    "invalid_code_samples": ["const x = );", "let = 5 5", "1 +* 2"],
    # TypeScript has no pager syntax (`?x` / `x??` are Python's); see NOT_APPLICABLE.
    "code_page_something": "",
    "code_generate_error": 'throw new Error("boom")',
    "code_execute_result": [
        {"code": "6*7", "result": "42"},
        {"code": "const kindlingAnswer: number = 6 * 7; kindlingAnswer", "result": "42"},
        {"code": "[1, 2, 3].map((n) => n * 2)", "result": "[ 2, 4, 6 ]"},
        {"code": DISPLAY_SYMBOL_VALUE, "mime": "text/html", "result": "<b>x</b>"},
    ],
    "code_display_data": [
        {"code": "display(" + DISPLAY_SYMBOL_VALUE + ")", "mime": "text/html"},
    ],
    # History search is a glob, as in ipykernel: "6?7" matches the cell "6*7".
    "code_history_pattern": "6?7",
    "code_inspect_sample": "Math.max",
    "code_clear_output": 'console.log("before"); clear_output()',
    # Our own checks (protocol_checks.py, lifecycle_checks.py).
    "code_input": 'const who = await input("name? "); console.log("hello " + who)',
    "code_password": 'const secret = await input("password? ", { password: true }); secret.length',
    "code_set_kept": "const kept = 41",
    "code_read_kept": "kept + 1",
    "code_kept_gone": "typeof kept",
    "kept_gone_result": "'undefined'",
    "code_busy_loop": "while (true) {}",
    "code_pending_await": "await new Promise(() => {})",
    "code_loop_after_await": "await new Promise((r) => setTimeout(r, 10)); while (true) {}",
    "code_slow_error": 'await new Promise((r) => setTimeout(r, 300)); throw new Error("boom")',
    "code_mark_ran": "globalThis.kindlingQueuedRan = true",
    "code_check_ran": "globalThis.kindlingQueuedRan === true",
    "false_literal": "false",
    "code_print_line": 'console.log("line {i}")',
    "code_error_line_three": 'const a = 1;\nconst b = 2;\nthrow new Error("third line");',
    "error_evalue": "third line",
    "code_display_with_id": (
        # `await` works whether display() returns the handle or a promise of it.
        'const handle = await display({ [Symbol.for("Jupyter.display")]() { return { "text/plain": "first" }; } }, { id: "kt-1" });\n'
        'await handle.update({ [Symbol.for("Jupyter.display")]() { return { "text/plain": "second" }; } })'
    ),
    "code_async_output": 'await new Promise((r) => setTimeout(r, 50)); console.log("after await")',
    "code_timer_error_later": 'setTimeout(() => { throw new Error("late timer") }, 10); "scheduled"',
    "code_redeclare_const": "const kindlingRedeclared = 1",
    "code_redeclare_const_again": "const kindlingRedeclared = 2; kindlingRedeclared",
    "code_declare_for_completion": "const kindlingCounter = 1",
    "completion_prefix": "kindlingCoun",
    "completion_expected": "kindlingCounter",
    "code_unicode_completion": 'const smile = "\U0001F600"; Math.ab',
    "unicode_completion_match": "abs",
    "code_inspect_missing": "kindlingNoSuchThing",
    "code_busy_three_seconds": "const busyUntil = Date.now() + 3000; while (Date.now() < busyUntil) {}",
    "code_rejection_later": 'setTimeout(() => { Promise.reject(new Error("late rejection")); }, 10); "scheduled"',
}

PYTHON3 = {
    "language_name": "python",
    "file_extension": ".py",
    "code_hello_world": 'print("hello, world")',
    "code_stderr": 'import sys; print("something went wrong", file=sys.stderr)',
    "completion_samples": [{"text": "zi", "matches": {"zip"}}],
    "complete_code_samples": ["1 + 1", "x = 1"],
    "incomplete_code_samples": ["for i in range(3):", "xs = [1, 2,"],
    "invalid_code_samples": ["1 +* 2"],
    "code_page_something": "print?",
    "code_generate_error": 'raise ValueError("boom")',
    "code_execute_result": [
        {"code": "6*7", "result": "42"},
        {"code": "kindling_answer = 6 * 7; kindling_answer", "result": "42"},
        {"code": "[n * 2 for n in [1, 2, 3]]", "result": "[2, 4, 6]"},
    ],
    "code_display_data": [
        {"code": 'from IPython.display import HTML, display; display(HTML("<b>x</b>"))', "mime": "text/html"},
    ],
    "code_history_pattern": "6?7",
    "code_inspect_sample": "zip",
    "code_clear_output": 'print("before"); from IPython.display import clear_output; clear_output()',
    "code_input": 'who = input("name? "); print("hello " + who)',
    "code_password": 'import getpass; secret = getpass.getpass("password? "); len(secret)',
    "code_set_kept": "kept = 41",
    "code_read_kept": "kept + 1",
    "code_kept_gone": "'kept' in dir()",
    "kept_gone_result": "False",
    "code_busy_loop": "while True: pass",
    "code_pending_await": "import time; time.sleep(600)",
    "code_loop_after_await": "import asyncio; await asyncio.sleep(0.01)\nwhile True: pass",
    "code_slow_error": 'import time; time.sleep(0.3); raise ValueError("boom")',
    "code_mark_ran": "import builtins; builtins.kindling_queued_ran = True",
    "code_check_ran": "import builtins; getattr(builtins, 'kindling_queued_ran', False)",
    "false_literal": "False",
    "code_print_line": 'print("line {i}")',
    "code_error_line_three": 'a = 1\nb = 2\nraise ValueError("third line")',
    "error_evalue": "third line",
    "code_display_with_id": (
        'from IPython.display import display; handle = display("first", display_id="kt-1")\n'
        'handle.update("second")'
    ),
    "code_async_output": 'import asyncio; await asyncio.sleep(0.05); print("after await")',
    "code_timer_error_later": (
        "import threading\n"
        "def late():\n    raise RuntimeError('late timer')\n"
        "threading.Timer(0.01, late).start(); 'scheduled'"
    ),
    "code_redeclare_const": "kindling_redeclared = 1",
    "code_redeclare_const_again": "kindling_redeclared = 2; kindling_redeclared",
    "code_declare_for_completion": "kindling_counter = 1",
    "completion_prefix": "kindling_coun",
    "completion_expected": "kindling_counter",
    "code_unicode_completion": 'smile = "\U0001F600"; zi',
    "unicode_completion_match": "zip",
    "code_inspect_missing": "kindling_no_such_thing",
    "code_busy_three_seconds": "import time\nbusy_until = time.time() + 3\nwhile time.time() < busy_until: pass",
    "code_rejection_later": (
        "import asyncio\n"
        "async def late():\n    raise RuntimeError('late rejection')\n"
        "asyncio.get_event_loop().call_later(0.01, lambda: asyncio.ensure_future(late())); 'scheduled'"
    ),
}

PROFILES = {"kindling": KINDLING, "python3": PYTHON3}

# Checks that have no meaning for a kernel (reason shown by the wrapper); every other skip is a failure.
NOT_APPLICABLE = {
    "kindling": {"test_pager": "TypeScript has no pager syntax; inspect_request covers documentation lookup"},
    "python3": {},
}


def profile_for(kernel_name):
    if kernel_name not in PROFILES:
        raise KeyError(f"no snippet profile for kernel {kernel_name!r}; known: {sorted(PROFILES)}")
    return PROFILES[kernel_name]
