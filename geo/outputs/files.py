"""Files written whole or not at all.

:func:`write_atomic` writes the bytes beside the target and moves them into
place only when complete, so a failed export never leaves half a file and a
reader never sees one.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write bytes to a file beside the target, then move it into place.

    Parameters
    ----------
    path : str or pathlib.Path
        The target file; replaced if it exists. Its folder must exist.
    data : bytes
        The whole content.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    OSError
        If the file cannot be written; the target is left as it was and no
        temporary file is left behind.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_atomic(target, b"hej").read_bytes(), sorted(p.name for p in target.parent.iterdir())
    (b'hej', ['a.txt'])
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


__all__ = ["write_atomic"]
