"""The front end as the cloud serves it: `statics/` built by `tools/build_statics.py` (the
build `make deploy` uploads), held in memory and built again when a source file changes,
so `make dev` shows an edit on the next reload and the tests see exactly what ships."""

from __future__ import annotations

import gzip
import threading
from pathlib import Path

import brotli
from werkzeug.datastructures import Accept

from tools.build_statics import SOURCE, Site, build, source_signature

# CloudFront compresses these when the viewer accepts it, from 1,000 bytes up; with the
# cache policy's Gzip and Brotli both on (Managed-CachingOptimized), a viewer that accepts
# both gets Brotli (every current browser over HTTPS).
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
MIN_COMPRESS_BYTES = 1000
# CloudFront does not say which levels it uses; an edge compresses on the fly, so a middle
# Brotli level rather than the slow best one (gzip: the best, as before).
BROTLI_QUALITY = 5
GZIP_LEVEL = 9


class BuiltSite:
    def __init__(self, source: Path = SOURCE):
        self.source = source
        self._lock = threading.Lock()
        self._signature: tuple | None = None
        self._site: Site | None = None
        self._compressed: dict[tuple[str, str], bytes] = {}

    def _current(self) -> Site:
        with self._lock:
            signature = source_signature(self.source)
            if signature != self._signature or self._site is None:
                self._site = build(self.source)
                self._signature = signature
                self._compressed = {}
            return self._site

    def get(self, path: str) -> bytes | None:
        return self._current().files.get(path)

    def compressed(self, path: str, data: bytes, accepted: Accept) -> tuple[bytes, str | None]:
        """The body and its Content-Encoding for a viewer's Accept-Encoding: Brotli before gzip."""
        encoding = next((e for e in ("br", "gzip") if accepted.quality(e) > 0), None)
        if encoding is None:
            return data, None
        with self._lock:
            key = (encoding, path)
            if key not in self._compressed:
                # gzip's mtime=0: the same bytes every time, so the ETag of a compressed answer is stable.
                self._compressed[key] = (
                    brotli.compress(data, quality=BROTLI_QUALITY)
                    if encoding == "br"
                    else gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
                )
            return self._compressed[key], encoding
