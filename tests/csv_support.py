"""Writing small CSV files for tests of commands that read them."""

import csv
from pathlib import Path


def write_csv(path: Path, rows, header=("text", "label")) -> Path:
    """Write ``header`` then ``rows`` to ``path`` as CSV (UTF-8); return the path."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path
