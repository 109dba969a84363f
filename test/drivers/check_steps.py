"""The step reporter the Python driver checks share.

Each check is a function decorated with `steps.step(name)`: it runs at once and prints
"ok NAME" or "FAIL NAME: error", so the harness (test/integration/drivers-support.ts) can
report every step; a failing step does not stop the ones after it. `steps.exit()` ends the
program with 1 when any step failed.
"""
import sys
import traceback


class Steps:
    def __init__(self, after_failure=None, detail_lines=1):
        """`after_failure` restores the connection after a failed step (e.g. a rollback);
        `detail_lines` is how many of the traceback's last lines the FAIL line carries."""
        self.failures = 0
        self.after_failure = after_failure
        self.detail_lines = detail_lines

    def step(self, name):
        def wrap(fn):
            try:
                fn()
                print("ok " + name, flush=True)
            except Exception:  # report every step, keep going
                self.failures += 1
                lines = traceback.format_exc().strip().splitlines()
                print("FAIL %s: %s" % (name, " | ".join(lines[-self.detail_lines:])),
                      flush=True)
                if self.after_failure is not None:
                    self.after_failure()
            return fn
        return wrap

    def exit(self):
        sys.exit(1 if self.failures else 0)
