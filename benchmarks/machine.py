"""What the benchmark scripts say about the machine they ran on."""

import platform
from pathlib import Path


def cpu() -> str:
    """``cpu "<model name>"`` from /proc/cpuinfo, or the platform's word for it."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f'cpu "{line.split(":", 1)[1].strip()}"'
    except OSError:
        pass
    return f"cpu {platform.processor() or 'unknown'}"
