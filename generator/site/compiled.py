"""Templates compiled once: Jinja's compiled code for each template kept in the build cache.

Jinja compiles every template a build renders (Python source made, then compiled, for each template and
each one it includes or extends): about a second of a rebuild of a thousand measures, the same each time. A
kept compilation is read instead, while all that compiled it is the same. Jinja checks a kept one against
its template's source and Python's version (then compiles again, keeping the new one). The rest is in its
name: the template's name and file, and what the environment compiles with besides the source, which Jinja
does not check: its options (autoescaping, delimiters, async, policies: a council's Pelican settings may set
them), its extensions, and its filters and tests (a filter given a constant is run as the template is
compiled, its result written into the code), each by where it is defined and that file's bytes; and, as
for the kept pages, the generator's modules and every installed package's version (Jinja's among them).
"""

from __future__ import annotations

import functools
import sys
import types
from pathlib import Path

from jinja2 import Environment, TemplateNotFound
from jinja2.bccache import Bucket, BytecodeCache

from .. import cache

# An Environment's options that change the code a template compiles to.
_COMPILED_WITH = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
                  "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
                  "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
                  "autoescape", "finalize", "is_async", "undefined", "newstyle_gettext")


class KeptTemplates(BytecodeCache):
    """Compiled templates in `folder` of the build cache, for `environment` as it is set now (so set this
    last, once its filters are in). Every template the environment can load has its kept compilation marked
    used, loaded by this build or not: a rebuild whose pages of a kind were all kept still keeps what the
    next one may need, and the cache prunes what no template needs any longer."""

    def __init__(self, folder: Path, environment: Environment):
        self.folder = folder
        self.compiled_with = cache.key(cache.every_module(), cache.installed(), _compiled_with(environment))
        for name in environment.list_templates():
            try:
                _, filename, _ = environment.loader.get_source(environment, name)
            except TemplateNotFound:
                continue
            cache.hit(self._path(self.get_cache_key(name, filename)))

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return cache.key("template", self.compiled_with, name, filename)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.jinja"

    def load_bytecode(self, bucket: Bucket) -> None:
        data = cache.found(self._path(bucket.key))
        if data is not None:
            bucket.bytecode_from_string(data)       # Jinja resets the bucket when it is stale

    def dump_bytecode(self, bucket: Bucket) -> None:
        cache.keep(self._path(bucket.key), bucket.bytecode_to_string())


def _compiled_with(env: Environment) -> list:
    """What `env` compiles a template with besides its source, as plain values."""
    return [[(name, _described(getattr(env, name, None))) for name in _COMPILED_WITH],
            sorted(env.extensions), sorted((k, _described(v)) for k, v in env.policies.items()),
            sorted((k, _described(f)) for k, f in env.filters.items()),
            sorted((k, _described(t)) for k, t in env.tests.items())]


def _described(value, closure: bool = True) -> object:
    """A value as the same in every process: a function or class by where it is defined, that file's bytes,
    how Jinja passes it the context and what its closure holds (described alike, but for their own closures);
    a callable object by the function it wraps (functools.lru_cache's), else by its class and what it holds;
    anything else by its repr (one holding its address is never the same, so what it compiles is never read
    back: safe, if slower)."""
    if isinstance(value, functools.partial):
        return ["partial", _described(value.func), repr(value.args), repr(sorted(value.keywords.items()))]
    if not callable(value):
        return repr(value)
    plain = isinstance(value, (type, types.FunctionType, types.MethodType, types.BuiltinFunctionType))
    if not plain and hasattr(value, "__wrapped__"):
        return [type(value).__qualname__, _described(value.__wrapped__, closure)]
    kind = value if plain else type(value)
    code = getattr(value, "__code__", None)
    filename = code.co_filename if code else getattr(sys.modules.get(kind.__module__), "__file__", None)
    held = [] if plain else [repr(sorted(vars(value).items())) if hasattr(value, "__dict__") else repr(value)]
    cells = getattr(value, "__closure__", None) or () if closure else ()
    return [kind.__module__, kind.__qualname__, _file_digest(filename), str(getattr(value, "jinja_pass_arg", None)),
            [_described(cell.cell_contents, closure=False) for cell in cells], held]


@functools.lru_cache(maxsize=None)
def _file_digest(filename: str | None) -> str | None:
    path = Path(filename) if filename else None
    return cache.file_digest(path) if path and path.is_file() else None
