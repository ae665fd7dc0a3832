"""One side of a comparison: a theory directory on disk or a git revision of one.

``ptgraph diff`` and ``ptgraph render --diff`` accept, for each side, either a
directory or a git revision: ``main``, ``HEAD~1``, ``v1.0``, or ``REV:path``
such as ``origin/main:theory``. A revision's theory is copied out of git's
object store into a temporary directory (``git ls-tree`` + ``git cat-file
--batch``), so the working tree and the index are never touched.

Rules for a side ``SPEC``:

- an existing path is a directory side (a path wins over a revision of the
  same name; write ``REV:`` to mean the revision);
- ``REV:path`` is ``path`` at ``REV``, ``path`` relative to the repository's
  top level (``./path`` or ``../path`` relative to the current directory, as
  in git); a path outside the repository is refused;
- a bare ``REV`` (or ``REV:``) is the theory directory at ``REV`` that the
  other side names in the working tree (``theory`` by default).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Iterator

from .check import load_theory
from .errors import TheoryError, UsageError
from .model import Theory


@dataclass(frozen=True, slots=True)
class Side:
    """Where one side's theory comes from: ``label`` names it in messages and reports."""

    label: str
    path: Path | None = None  # a directory side
    rev: str | None = None  # a revision side: commit-ish and repository-relative path
    rev_path: str = ""
    repo: Path | None = None


def _git(repo: Path | str, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], input=input,
                              capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed: name theory directories instead of revisions") from None


def repo_root(start: Path | str = ".") -> Path | None:
    """The top level of the git working tree holding ``start``, or None outside one."""
    try:
        done = subprocess.run(["git", "-C", str(start), "rev-parse", "--show-toplevel"],
                              capture_output=True, check=False, text=True)
    except FileNotFoundError:
        return None
    return Path(done.stdout.strip()) if done.returncode == 0 else None


def _inside(path: Path, top: Path) -> str | None:
    """``path`` relative to ``top`` in git's spelling, or None when it lies outside."""
    try:
        rel = path.resolve().relative_to(top.resolve())
    except ValueError:
        return None
    return rel.as_posix() if rel.parts else ""


def resolve_side(spec: str, *, default_path: str | Path = "theory", cwd: Path | str = ".") -> Side:
    """Decide what ``spec`` names: a directory, or a revision and a path inside it.

    Parameters
    ----------
    spec
        A directory, ``REV`` or ``REV:path``.
    default_path
        The working-tree theory directory a bare ``REV`` stands for.
    cwd
        Where relative paths start.

    Raises
    ------
    UsageError
        Not a directory, not a known revision, a path outside the repository,
        or no such path at the revision.
    """
    cwd = Path(cwd)
    on_disk = cwd / spec
    if on_disk.exists():
        return Side(label=spec, path=on_disk)
    rev, sep, path = spec.partition(":")
    top = repo_root(cwd)
    if top is None:
        raise UsageError(f"'{spec}' is neither a directory nor a git revision "
                         "(not inside a git repository)")
    if not rev:
        raise UsageError(f"'{spec}': name a revision before the colon (HEAD:{path or 'theory'})")
    if rev.startswith("-"):  # would be read as a git option
        raise UsageError(f"'{spec}': unknown git revision '{rev}'")
    if _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        kind = "directory or git revision" if not sep else "git revision"
        raise UsageError(f"'{spec}': unknown {kind} '{rev if sep else spec}'")
    if not path:
        target = cwd / default_path
    elif path.startswith(("./", "../")) or path in (".", ".."):
        target = cwd / path
    else:
        target = top / path
    rel = _inside(target, top)
    if rel is None:
        raise UsageError(f"'{spec}': {path or default_path} is outside the repository ({top.name})")
    kind = _git(top, "cat-file", "-t", f"{rev}:{rel}").stdout.strip()
    if kind != b"tree":
        what = "is a file" if kind == b"blob" else "does not exist"
        raise UsageError(f"'{spec}': {rel or '.'} {what} at {rev}; name the theory directory "
                         f"there ({rev}:PATH)")
    return Side(label=f"{rev}:{rel}", rev=rev, rev_path=rel, repo=top)


def extract(side: Side, into: Path) -> Path:
    """Write the theory directory of a revision side below ``into``; return its path.

    Only blobs are copied (symlinks and submodules are skipped): a theory is
    plain YAML files, and a link could point outside the temporary directory.
    """
    assert side.rev is not None and side.repo is not None
    listing = _git(side.repo, "ls-tree", "-r", "-z", "--full-tree", side.rev, "--",
                   side.rev_path or ".")
    if listing.returncode != 0:
        reason = listing.stderr.decode(errors="replace").strip()
        raise UsageError(f"{side.label}: git ls-tree failed: {reason}")
    blobs = []
    for item in listing.stdout.split(b"\0"):
        if not item:
            continue
        meta, _, name = item.partition(b"\t")
        mode, kind, oid = meta.split()
        if kind == b"blob" and mode in (b"100644", b"100755"):
            blobs.append((oid, os.fsdecode(name)))
    base = PurePosixPath(side.rev_path) if side.rev_path else PurePosixPath()
    root = into / "theory"
    root.mkdir(parents=True, exist_ok=True)
    batch = _git(side.repo, "cat-file", "--batch", input=b"".join(oid + b"\n" for oid, _ in blobs))
    out, pos = batch.stdout, 0
    for oid, name in blobs:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        start = header_end + 1
        target = root.joinpath(*PurePosixPath(name).relative_to(base).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(out[start:start + size])
        pos = start + size + 1  # content is followed by a newline
    return root


def _relabel_problems(exc: TheoryError, root: Path, side: Side, which: str) -> TheoryError:
    """The same error, with temporary paths shown as ``REV:path`` and the side named."""
    prefix = os.path.normpath(str(root))
    shown = f"{side.rev}:{side.rev_path}" if side.rev else side.label

    def fix(p: str) -> str:
        if side.rev and (p == prefix or p.startswith(prefix + os.sep)):
            rest = p[len(prefix):].lstrip(os.sep).replace(os.sep, "/")
            return f"{side.rev}:{'/'.join(x for x in (side.rev_path, rest) if x)}"
        return p

    problems = [replace(p, path=fix(p.path)) for p in exc.problems]
    n = sum(p.is_error for p in problems)
    who = f"{which} side {shown}" if which else shown
    return TheoryError(f"{who} fails to check ({n} problem{'s' * (n != 1)}); "
                       f"fix {'them' if n != 1 else 'it'} first", problems)


@contextlib.contextmanager
def checked_side(side: Side, which: str = "") -> Iterator[Theory]:
    """The side's theory, loaded and checked; a revision lives in a temp dir meanwhile.

    ``which`` ("old", "new") names the side in a :class:`TheoryError`.
    """
    tmp = Path(tempfile.mkdtemp(prefix="ptgraph-rev-")) if side.rev else None
    try:
        root = extract(side, tmp) if tmp else side.path
        try:
            theory = load_theory(root)
        except TheoryError as exc:
            raise _relabel_problems(exc, root, side, which) from None
        yield theory
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def load_pair(old_spec: str, new_spec: str | None = None, *,
              default: str = "theory") -> tuple[tuple[Side, Side], Theory, Theory]:
    """Both sides of a comparison, checked; ``new_spec`` None is the working tree's ``default``.

    A bare revision on one side means the theory directory the other side
    names, when that side is a directory (``default`` otherwise).

    Raises
    ------
    UsageError
        A side names nothing usable (see :func:`resolve_side`).
    TheoryError
        A side fails to check; the message says which, the problems use
        ``REV:path`` for files of a revision.
    """
    if new_spec is None and not Path(default).exists():
        raise UsageError(f"no {default}/ folder here: name the new side too (a directory or a revision)")
    new_spec = new_spec or default
    base = next((s for s in (new_spec, old_spec) if Path(s).is_dir()), default)
    sides = (resolve_side(old_spec, default_path=base), resolve_side(new_spec, default_path=base))
    with checked_side(sides[0], "old") as old, checked_side(sides[1], "new") as new:
        return sides, old, new
