"""What the benchmark scripts say about the machine they ran on, and how they use it."""

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, or the platform's word for it."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu() -> str:
    """``cpu "<model name>"``, for a line describing the machine."""
    return f'cpu "{cpu_model()}"'


def pin_to_one_cpu() -> str:
    """Run this process on one CPU where the system allows it; say which ("no" if not)."""
    if not hasattr(os, "sched_setaffinity"):
        return "no"
    chosen = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {chosen})
    return f"yes (CPU {chosen})"
