"""Templates compiled once: Jinja's compiled code for each template kept in the build cache.

Jinja compiles every template a build renders (Python source made, then compiled, for each template and
each one it includes or extends): about a second of a rebuild of a thousand measures, the same each time. A
kept compilation is read instead. It is kept under the template's name and file and the options the
environment compiles with (autoescaping, delimiters, extensions: a council's Pelican settings may set
them); Jinja itself checks it against the template's source and its own and Python's versions, and compiles
again (keeping the new one) when either differs, so a stale one is never used.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

from .. import cache

# What an Environment compiles a template with besides its source: a change to any is another compilation.
# (An option that is a function, autoescape chosen by file name say, has another repr in each process: its
# templates are compiled each time, never read from a build that compiled them otherwise.)
_COMPILED_WITH = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
                  "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
                  "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
                  "autoescape", "finalize")


class KeptTemplates(BytecodeCache):
    """Compiled templates in `folder` of the build cache, for `environment` as it is set now (so set this
    last); each named by a hash of its name, its file and those options, so replaced where it is when its
    template changes (the folder is never pruned: cache.NEVER_PRUNED)."""

    def __init__(self, folder: Path, environment: Environment):
        self.folder = folder
        self.options = repr([(name, getattr(environment, name)) for name in _COMPILED_WITH]
                            + sorted(environment.extensions))

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return cache.key("template", self.options, name, filename)

    def load_bytecode(self, bucket: Bucket) -> None:
        data = cache.found(self.folder / f"{bucket.key}.jinja")
        if data is not None:
            bucket.bytecode_from_string(data)       # Jinja resets the bucket when it is stale

    def dump_bytecode(self, bucket: Bucket) -> None:
        cache.keep(self.folder / f"{bucket.key}.jinja", bucket.bytecode_to_string())
