"""Import and export of citizens, residential areas and learning units (xlsx and csv).

`import_run` is the single entry: the admin screens (`viewset`) and the `import_data` command
both call it, so every rule about a row lives in the per-kind specs next to it.
"""

from .report import ImportReport, RowError
from .service import KIND_LABELS, SPECS, import_run

__all__ = ["KIND_LABELS", "SPECS", "ImportReport", "RowError", "import_run"]
