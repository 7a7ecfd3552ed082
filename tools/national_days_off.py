"""Indonesia's national holidays and cuti bersama for the years the SLA clock meets, written
once from the ``holidays`` package into the shared layer (``eptsp/national_days_off.json``).

Importing ``holidays`` costs a cold start about 0.2 s (its registry of every country); the
functions that count working days read this table instead, and ask the package only for a
year outside it. ``tests/unit/test_workdays.py`` fails while the table differs from the
package at the pinned version (after upgrading ``holidays``, run this again).

    python -m tools.national_days_off
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYER = ROOT / "layers" / "shared"


def main() -> int:
    if str(LAYER) not in sys.path:
        sys.path.insert(0, str(LAYER))
    from eptsp import workdays

    table = workdays.national_days_off_table(workdays.TABLE_YEARS)
    workdays.TABLE.write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {workdays.TABLE.relative_to(ROOT)} ({len(table['days'])} days)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
