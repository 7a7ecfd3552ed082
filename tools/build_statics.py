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
- The first page comes in one file: the entry's whole static import graph, and that of the
  landing pages its script tag names in `data-bundle` (the login page and the words), are
  joined into the entry's own file (`_as_factory`, `_BUNDLE_TAIL`). On a slow phone each
  request costs a round trip and its headers; a score of small modules queue on HTTP/1.1's
  six connections. Every other module stays a module of its own, fetched when its page is
  first opened, and reaches the joined ones through the entry (`GLOBAL_LOAD`), so there is
  one copy of each.
- Comments and indentation are dropped from every script (`minify_js`: parsed, line breaks
  kept, the build stops unless the tokens stay the same); the stylesheet is minified.
- index.html names the hashed stylesheet and scripts (every `js/*.js` it names).
- A vendored package nobody references (e.g. axe-core, used by the browser tests only) is
  not shipped.

`python -m tools.build_statics [DEST]` writes the site (default `dist/statics`); the local
stack serves the same build from memory.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import posixpath
import re
import shutil
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import rcssmin
import tree_sitter
import tree_sitter_javascript

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
# A whole static import statement, for joining: what it takes and from where.
IMPORT_STATEMENT = re.compile(
    r"""^import(?!\s*[(.])\s*(?P<what>[^'"`;]*?)\s*(?:\bfrom\s*)?(?P<q>['"])(?P<from>[^'"]+)(?P=q)\s*;?""", re.M
)
STATIC_IMPORT = re.compile(
    r"""(?:^|[\s;}])(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]""", re.M
)


# What shapes the shipped bytes besides the sources (this builder and its minifiers): a change
# in how the files are built renames them all, so a name never meets other content.
_TOOLS = Path(__file__).read_bytes() + f"{version('tree-sitter-javascript')} {version('rcssmin')}".encode()


def _hash(*parts: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(_TOOLS)
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()[:HASH_LENGTH]


def _hashed_name(path: str, digest: str) -> str:
    stem, dot, ext = posixpath.basename(path).rpartition(".")
    return posixpath.join(posixpath.dirname(path), f"{stem}.{digest}.{ext}" if dot else f"{path}.{digest}")


@dataclass(frozen=True)
class Site:
    """Path (no leading slash) -> bytes, and the modules joined into the entry."""

    files: dict[str, bytes]
    bundled: tuple[str, ...]  # source modules joined into the entry's file, in the order they first run

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
        html = (self.source / ENTRY_HTML).read_text(encoding="utf-8")
        for text in [*self.modules.values(), html]:
            shipped_packages |= self.package_references(text)
        for name in sorted(shipped_packages):
            content = self.package_files(name)
            digest = _hash(*(part for path, data in content.items() for part in (path.encode(), data)))
            packages[name] = f"{ASSETS}/vendor/{name}.{digest}/"
            for path, data in content.items():
                files[packages[name] + path] = data

        # The first page: the entry's static graph, then the landing pages index.html names.
        landing = re.search(r'\sdata-bundle="([^"]*)"', html)
        bundled = self._static_closure(ENTRY_MODULE)
        for page in landing.group(1).split() if landing else []:
            bundled += [m for m in self._static_closure(page) if m not in bundled]
        html = re.sub(r'\sdata-bundle="[^"]*"', "", html)
        self._check_bundle(bundled)

        def closure(module: str) -> list[str]:
            seen, todo = {module}, [module]
            while todo:
                for target in self.module_references(todo.pop()):
                    if target not in seen:
                        seen.add(target)
                        todo.append(target)
            return sorted(seen)

        def digest_of(reached: list[str]) -> list[bytes]:
            parts = [part for m in reached for part in (m.encode(), self.modules[m].encode())]
            used = {name for m in reached for name in self.package_references(self.modules[m])}
            return parts + [packages[name].encode() for name in sorted(used)]

        hashed: dict[str, str] = {}
        entry_reached = closure(ENTRY_MODULE)
        # The joining's own code is part of the entry's file, so of its name.
        joining = (_BUNDLE_HEAD + _BUNDLE_TAIL + " ".join(bundled)).encode()
        hashed[ENTRY_MODULE] = _hashed_name(ENTRY_MODULE, _hash(*digest_of(entry_reached), joining))
        for module in self.modules:
            if module == ENTRY_MODULE or module in bundled:
                continue
            reached = closure(module)
            hashed[module] = _hashed_name(module, _hash(*digest_of(reached)))

        def rewrite_packages(text: str) -> str:
            for name, target in packages.items():
                text = text.replace(f"vendor/{name}/", target)
            return text

        def rename_references(module: str, text: str) -> str:
            def rename(match: re.Match[str]) -> str:
                reference = match.group(1)
                target = self._resolve(module, reference)
                if target is None or target in bundled:
                    return reference  # a joined module is found by its source name ($import below)
                return posixpath.join(posixpath.dirname(reference), posixpath.basename(hashed[target]))

            return rewrite_packages(MODULE_REFERENCE.sub(rename, text))

        for module, text in self.modules.items():
            if module in bundled:
                continue
            text = rename_references(module, text)
            # What a module of its own takes from a joined one, it takes from the entry's copy.
            text = self._imports_as_loads(module, text, bundled, lambda target: f"{GLOBAL_LOAD}({json.dumps(target)})")
            for match in MODULE_REFERENCE.finditer(text):
                if self._resolve(module, match.group(1)) in bundled:
                    raise ValueError(f"{module} names {match.group(1)}, which is joined: import it statically")
            files[f"{ASSETS}/{hashed[module]}"] = minify_js(text, module).encode()
        bundle = _BUNDLE_HEAD
        for module in bundled:
            body = self._as_factory(module, rename_references(module, self.modules[module]), bundled)
            bundle += f"\n{json.dumps(module)}: () => {{\n{body}}},\n"
        bundle += _BUNDLE_TAIL.replace("ENTRY", json.dumps(ENTRY_MODULE))
        files[f"{ASSETS}/{hashed[ENTRY_MODULE]}"] = minify_js(bundle, ENTRY_MODULE).encode()

        # Everything else (stylesheets, images) under its own content hash.
        others = {}
        for path in sorted(self.source.rglob("*")):
            relative = path.relative_to(self.source).as_posix()
            if path.is_file() and relative != ENTRY_HTML and not relative.startswith(("js/", "vendor/")):
                data = path.read_bytes()
                if relative.endswith(".css"):
                    data = rcssmin.cssmin(data.decode("utf-8")).encode()
                others[relative] = f"{ASSETS}/{_hashed_name(relative, _hash(data))}"
                files[others[relative]] = data

        for relative, target in others.items():
            html = html.replace(f'"{relative}"', f'"{target}"')
        for module in self.modules:
            if f'"{module}"' in html and module in bundled and module != ENTRY_MODULE:
                raise ValueError(f"index.html names {module}, which is joined into {ENTRY_MODULE}")
            html = html.replace(f'"{module}"', f'"{ASSETS}/{hashed.get(module, "")}"')
        files[ENTRY_HTML] = rewrite_packages(html).encode()
        return Site(files, tuple(bundled))

    def _static_closure(self, entry: str) -> list[str]:
        """The modules `entry` reaches by static imports, in the order ES modules run them (each
        one's imports before itself)."""
        order: list[str] = []
        seen: set[str] = set()

        def visit(module: str) -> None:
            seen.add(module)
            for match in STATIC_IMPORT.finditer(self.modules[module]):
                target = self._resolve(module, match.group(1) or match.group(2))
                if target and target not in seen:
                    visit(target)
            order.append(module)

        visit(entry)
        return order

    def _check_bundle(self, bundled: list[str]) -> None:
        """Joined modules run once, in order, their exports read when imported: refuse what
        that would change (an import cycle, an exported `let`, a module outside the entry's folder)."""
        folder = posixpath.dirname(ENTRY_MODULE)
        for module in bundled:
            if posixpath.dirname(module) != folder:
                raise ValueError(f"{module}: only modules beside {ENTRY_MODULE} can be joined into it")
            if re.search(r"^\s*export\s+(?:let|var)\b", self.modules[module], re.M):
                raise ValueError(f"{module}: an exported let/var would lose its live binding when joined")
        position = {m: i for i, m in enumerate(bundled)}
        for module in bundled:
            for target in self.static_imports(module):
                if position[target] >= position[module]:
                    raise ValueError(f"{module} and {target} import each other: they cannot be joined")

    def _as_factory(self, module: str, text: str, bundled: list[str]) -> str:
        """A module's text as the body of a function that runs it and returns its exports."""
        exports: list[str] = []

        def export_declaration(match: re.Match[str]) -> str:
            exports.append(match.group("name"))
            return match.group("declaration")

        def export_list(match: re.Match[str]) -> str:
            for item in match.group(1).split(","):
                local, _, exported = (part.strip() for part in item.strip().partition(" as "))
                if local:
                    exports.append(f"{exported}: {local}" if exported else local)
            return ""

        def export_default(match: re.Match[str]) -> str:
            exports.append("default: $default")
            return "const $default = "

        text = self._imports_as_loads(module, text, bundled, lambda target: f"$load({json.dumps(target)})")
        text = re.sub(
            r"^export\s+(?P<declaration>(?:async\s+)?(?:function\*?|const|class)\s+(?P<name>[\w$]+))",
            export_declaration,
            text,
            flags=re.M,
        )
        text = re.sub(r"^export\s*\{([^}]*)\}\s*;?", export_list, text, flags=re.M)
        text = re.sub(r"^export\s+default\s+", export_default, text, flags=re.M)
        # Every dynamic import goes through the joined modules first.
        text = re.sub(r"\bimport\(", "$import(", text)
        left = re.search(r"^\s*(?:import|export)\b.*", text, re.M)
        if left:
            raise ValueError(f"{module}: cannot join this statement: {left.group(0).strip()}")
        return f"{text.rstrip()}\nreturn {{ {', '.join(exports)} }};\n"

    def _imports_as_loads(self, module: str, text: str, bundled: list[str], load) -> str:
        """`import { a, b as c } from './x.js'` of a joined module -> `const { a, b: c } = <load>`."""

        def replace(match: re.Match[str]) -> str:
            target = self._resolve(module, match.group("from"))
            if target not in bundled:
                return match.group(0)
            what = (match.group("what") or "").strip()
            if not what:
                return f"{load(target)};"
            if what.startswith("* as "):
                return f"const {what[5:].strip()} = {load(target)};"
            names = []
            default, _, rest = what.partition("{") if not what.startswith("{") else ("", "", what[1:])
            default = default.strip().rstrip(",").strip()
            if default:
                names.append(f"default: {default}")
            for item in rest.rstrip("}").rstrip().rstrip("}").split(","):
                imported, _, local = (part.strip() for part in item.strip().partition(" as "))
                if imported:
                    names.append(f"{imported}: {local}" if local else imported)
            return f"const {{ {', '.join(names)} }} = {load(target)};"

        return IMPORT_STATEMENT.sub(replace, text)


# The entry's file: each joined module a function run once, when first imported (in the order
# ES modules would run them), its exports read then; `$import` answers a dynamic import of a
# joined module from here and leaves every other one to the browser. The modules of their own
# (loaded only by the entry, after it) reach the joined ones through GLOBAL_LOAD: naming the
# entry's file would rename every one of them on every release.
GLOBAL_LOAD = "globalThis.eptspJoined"
_BUNDLE_HEAD = """const $modules = {"""
_BUNDLE_TAIL = """};
const $exports = new Map();
function $load(name) {
  if (!$exports.has(name)) $exports.set(name, $modules[name]());
  return $exports.get(name);
}
Object.defineProperty(globalThis, 'eptspJoined', { value: $load });
const $folder = ENTRY.slice(0, ENTRY.lastIndexOf('/') + 1);
function $import(specifier) {
  const name = $folder + specifier.replace(/^\\.\\//, '').split('?')[0];
  return name in $modules ? Promise.resolve().then(() => $load(name)) : import(specifier);
}
$load(ENTRY);
"""


_JS = tree_sitter.Parser(tree_sitter.Language(tree_sitter_javascript.language()))
_VERBATIM = {"string", "template_string", "regex"}  # copied as they are, whatever they hold


def _parse_js(data: bytes, name: str) -> tree_sitter.Node:
    root = _JS.parse(data).root_node
    if root.has_error:
        raise ValueError(f"{name}: not valid JavaScript as built")
    return root


def _js_pieces(root: tree_sitter.Node) -> list[tuple[str, int, int]]:
    """The tree's leaves in order as (type, start, end), a string, template or regex literal as one."""
    pieces = []
    cursor = root.walk()
    while True:
        node = cursor.node
        if node.type in _VERBATIM or node.child_count == 0:
            pieces.append((node.type, node.start_byte, node.end_byte))
        elif cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return pieces


_LINE_BREAKS = re.compile(rb"[ \t]*\n[ \t\n]*")
_SPACES = re.compile(rb"[ \t]{2,}")


@functools.lru_cache(maxsize=512)  # the local stack rebuilds on every change: most modules did not change
def minify_js(text: str, name: str) -> str:
    """Comments and indentation out, every line break kept (so no statement joins another);
    literals untouched. The result is parsed again and must hold the same tokens in the same
    order, or the build stops."""
    data = text.encode()
    pieces = list(_js_pieces(_parse_js(data, name)))
    out = bytearray()
    between = bytearray()  # what lies between two tokens: spaces, line breaks, comments
    position = 0

    def flush() -> None:
        if len(between) > 1:
            out.extend(_SPACES.sub(b" ", _LINE_BREAKS.sub(b"\n", between)))
        else:
            out.extend(between)
        between.clear()

    for kind, start, end in pieces:
        between.extend(data[position:start])
        if kind == "comment":
            between.extend(b"\n" if b"\n" in data[start:end] else b" ")
        else:
            flush()
            out.extend(data[start:end])
        position = end
    between.extend(data[position:])
    flush()
    result = bytes(out).strip() + b"\n"

    def tokens(source: bytes, root: tree_sitter.Node) -> list[bytes]:
        return [source[start:end] for kind, start, end in _js_pieces(root) if kind != "comment"]

    if tokens(result, _parse_js(result, name)) != tokens(data, _JS.parse(data).root_node):
        raise ValueError(f"{name}: minifying changed its tokens")
    return result.decode()


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
    print(f"{len(site.files)} files in {args.dest}; the entry joins {len(site.bundled)} modules")


if __name__ == "__main__":
    main()
