"""The front end as it ships: `statics/` built into a site whose every file but index.html
lives under /assets/ with a content hash in its name, so a release never mixes old and new
files and everything but index.html can be cached for a year.

- Every `js/**/*.js` module is taken, with no list kept by hand: a page added to
  `statics/js` ships as soon as something imports or names it.
- A module's name carries the hash of its own text and of everything it reaches (static
  imports, dynamic imports, pages named by file as the router's `lazy('page-x.js', ...)` does,
  vendored packages), so a change anywhere below renames every module above it.
- References are rewritten in string literals: `'./api.js'` becomes `'./api.<hash>.js'`,
  `'vendor/leaflet/'` (a path the page asks for from the document) becomes
  `'assets/vendor/leaflet.<hash>/'`.
- index.html names the hashed stylesheet and entry module and preloads (`modulepreload`)
  the entry's whole static import graph, and that of the landing pages its script tag names
  in `data-preload`, so the browser fetches them at once, not one module after another.
- A vendored package nobody references (e.g. axe-core, used by the browser tests only) is
  not shipped.

`python -m tools.build_statics [DEST]` writes the site (default `dist/statics`); the local
stack serves the same build from memory.
"""

from __future__ import annotations

import argparse
import hashlib
import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "statics"
DEFAULT_DEST = ROOT / "dist" / "statics"
ENTRY_HTML = "index.html"
ENTRY_MODULE = "js/app.js"
ASSETS = "assets"
HASH_LENGTH = 10

# A string literal's text that names a module: './x.js', '../y/z.js' or a bare 'page-x.js'
# (the router's lazy pages), ending the literal or followed by a template's ${...}.
MODULE_REFERENCE = re.compile(r"""(?<=['"`])((?:\.{1,2}/)?[\w./-]+?\.js)(?=['"`]|\$\{)""")
STATIC_IMPORT = re.compile(
    r"""(?:^|[\s;}])(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]""", re.M
)


def _hash(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()[:HASH_LENGTH]


def _hashed_name(path: str, digest: str) -> str:
    stem, dot, ext = posixpath.basename(path).rpartition(".")
    return posixpath.join(posixpath.dirname(path), f"{stem}.{digest}.{ext}" if dot else f"{path}.{digest}")


@dataclass(frozen=True)
class Site:
    """Path (no leading slash) -> bytes, and the modules index.html preloads."""

    files: dict[str, bytes]
    preloaded: tuple[str, ...]

    def write(self, dest: Path) -> None:
        if dest.exists():
            shutil.rmtree(dest)
        for path, data in self.files.items():
            target = dest / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


class _Builder:
    def __init__(self, source: Path):
        self.source = source
        self.modules = {
            p.relative_to(source).as_posix(): p.read_text(encoding="utf-8") for p in sorted(source.glob("js/**/*.js"))
        }
        vendor = source / "vendor"
        self.packages = sorted(p.name for p in vendor.iterdir() if p.is_dir()) if vendor.is_dir() else []

    def _resolve(self, module: str, reference: str) -> str | None:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(module), reference.split("?")[0]))
        return path if path in self.modules else None

    def module_references(self, module: str) -> set[str]:
        found = set()
        for match in MODULE_REFERENCE.finditer(self.modules[module]):
            target = self._resolve(module, match.group(1))
            if target and target != module:
                found.add(target)
        return found

    def static_imports(self, module: str) -> set[str]:
        found = set()
        for match in STATIC_IMPORT.finditer(self.modules[module]):
            target = self._resolve(module, match.group(1) or match.group(2))
            if target:
                found.add(target)
        return found

    def package_references(self, text: str) -> set[str]:
        return {name for name in self.packages if f"vendor/{name}/" in text}

    def package_files(self, name: str) -> dict[str, bytes]:
        root = self.source / "vendor" / name
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    def build(self) -> Site:
        files: dict[str, bytes] = {}
        packages: dict[str, str] = {}  # name -> its hashed directory
        shipped_packages = set()
        for text in [*self.modules.values(), (self.source / ENTRY_HTML).read_text(encoding="utf-8")]:
            shipped_packages |= self.package_references(text)
        for name in sorted(shipped_packages):
            content = self.package_files(name)
            digest = _hash(*(part for path, data in content.items() for part in (path.encode(), data)))
            packages[name] = f"{ASSETS}/vendor/{name}.{digest}/"
            for path, data in content.items():
                files[packages[name] + path] = data

        def closure(module: str) -> list[str]:
            seen, todo = {module}, [module]
            while todo:
                for target in self.module_references(todo.pop()):
                    if target not in seen:
                        seen.add(target)
                        todo.append(target)
            return sorted(seen)

        hashed: dict[str, str] = {}
        for module in self.modules:
            reached = closure(module)
            parts = [part for m in reached for part in (m.encode(), self.modules[m].encode())]
            used = {name for m in reached for name in self.package_references(self.modules[m])}
            parts += [packages[name].encode() for name in sorted(used)]
            hashed[module] = _hashed_name(module, _hash(*parts))

        def rewrite_packages(text: str) -> str:
            for name, target in packages.items():
                text = text.replace(f"vendor/{name}/", target)
            return text

        for module, text in self.modules.items():

            def rename(match: re.Match[str], module: str = module) -> str:
                reference = match.group(1)
                target = self._resolve(module, reference)
                if target is None:
                    return reference
                return posixpath.join(posixpath.dirname(reference), posixpath.basename(hashed[target]))

            files[f"{ASSETS}/{hashed[module]}"] = rewrite_packages(MODULE_REFERENCE.sub(rename, text)).encode()

        # Everything else (stylesheets, images) under its own content hash.
        others = {}
        for path in sorted(self.source.rglob("*")):
            relative = path.relative_to(self.source).as_posix()
            if path.is_file() and relative != ENTRY_HTML and not relative.startswith(("js/", "vendor/")):
                data = path.read_bytes()
                others[relative] = f"{ASSETS}/{_hashed_name(relative, _hash(data))}"
                files[others[relative]] = data

        html = (self.source / ENTRY_HTML).read_text(encoding="utf-8")
        # The entry's graph, then the pages index.html names as landing pages (data-preload on its
        # script tag: the login page, where the manual starts), so their lazy import waits for nothing.
        preloaded = self._static_closure(ENTRY_MODULE)
        landing = re.search(r'\sdata-preload="([^"]*)"', html)
        for page in landing.group(1).split() if landing else []:
            preloaded += [m for m in self._static_closure(page) if m not in preloaded]
        html = re.sub(r'\sdata-preload="[^"]*"', "", html)
        for relative, target in others.items():
            html = html.replace(f'"{relative}"', f'"{target}"')
        html = html.replace(f'"{ENTRY_MODULE}"', f'"{ASSETS}/{hashed[ENTRY_MODULE]}"')
        preload = "".join(
            f'\n  <link rel="modulepreload" href="{ASSETS}/{hashed[m]}">' for m in preloaded if m != ENTRY_MODULE
        )
        html = html.replace("</head>", f"{preload.removeprefix(chr(10))}\n</head>" if preload else "</head>", 1)
        files[ENTRY_HTML] = rewrite_packages(html).encode()
        return Site(files, tuple(f"{ASSETS}/{hashed[m]}" for m in preloaded))

    def _static_closure(self, entry: str) -> list[str]:
        seen, order, todo = {entry}, [entry], [entry]
        while todo:
            for target in sorted(self.static_imports(todo.pop(0))):
                if target not in seen:
                    seen.add(target)
                    order.append(target)
                    todo.append(target)
        return order


def build(source: Path = SOURCE) -> Site:
    return _Builder(source).build()


def source_signature(source: Path = SOURCE) -> tuple[tuple[str, int, int], ...]:
    """What changes when any source file does (the local stack rebuilds on a change)."""
    return tuple(
        (p.relative_to(source).as_posix(), p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(source.rglob("*"))
        if p.is_file()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Build statics/ into a site with content-hashed assets.")
    parser.add_argument("dest", nargs="?", type=Path, default=DEFAULT_DEST)
    args = parser.parse_args()
    site = build()
    site.write(args.dest)
    print(f"{len(site.files)} files in {args.dest}; index.html preloads {len(site.preloaded) - 1} modules")


if __name__ == "__main__":
    main()
