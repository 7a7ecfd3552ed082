"""The front end as the cloud serves it: `statics/` built by `tools/build_statics.py` (the
build `make deploy` uploads), held in memory and built again when a source file changes,
so `make dev` shows an edit on the next reload and the tests see exactly what ships."""

from __future__ import annotations

import gzip
import threading
from pathlib import Path

from tools.build_statics import SOURCE, Site, build, source_signature

# CloudFront compresses these when the viewer accepts it, from 1,000 bytes up.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
MIN_COMPRESS_BYTES = 1000


class BuiltSite:
    def __init__(self, source: Path = SOURCE):
        self.source = source
        self._lock = threading.Lock()
        self._signature: tuple | None = None
        self._site: Site | None = None
        self._gzipped: dict[str, bytes] = {}

    def _current(self) -> Site:
        with self._lock:
            signature = source_signature(self.source)
            if signature != self._signature or self._site is None:
                self._site = build(self.source)
                self._signature = signature
                self._gzipped = {}
            return self._site

    def get(self, path: str) -> bytes | None:
        return self._current().files.get(path)

    def gzipped(self, path: str, data: bytes) -> bytes:
        # mtime=0: the same bytes every time, so the ETag of a compressed answer is stable.
        with self._lock:
            if path not in self._gzipped:
                self._gzipped[path] = gzip.compress(data, compresslevel=9, mtime=0)
            return self._gzipped[path]
