"""Named points where the fault tests (`make faults`, bench/faults.py) kill a real worker.

Inert unless the worker was started with ``XT_FAULT_POINT=<name>`` and ``XT_FAULT_MARKER=<file>``:
then the first process to reach that point creates the marker file and SIGKILLs itself, as a
power cut or the kernel's OOM killer would, exactly there; the restarted worker passes on. Never set
in production.
"""

from __future__ import annotations

import os
import signal

_POINT = os.environ.get("XT_FAULT_POINT", "")
_MARKER = os.environ.get("XT_FAULT_MARKER", "")


def fault_point(name: str) -> None:
    """Die here if the fault test asked for it (once per marker file)."""
    if not _POINT or name != _POINT or not _MARKER:
        return
    try:
        fd = os.open(_MARKER, os.O_CREAT | os.O_EXCL | os.O_WRONLY)  # once: the first to get here
    except FileExistsError:
        return
    os.close(fd)
    os.kill(os.getpid(), signal.SIGKILL)
