"""Files made for hostile tests: PNGs of any declared size (broken on request) and zip packages."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib


def png(width: int, height: int, corrupt: bool = False) -> bytes:
    """A grey PNG that declares ``width`` × ``height`` (only a few rows of data: enough to parse its header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) ^ (1 if corrupt and kind == b"IDAT" else 0)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = zlib.compress(b"".join(b"\0" + b"\x80" * min(width, 64) for _ in range(min(height, 4))))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()
