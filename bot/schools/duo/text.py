"""A DUO file's bytes as text: size, encoding, and what a file that is no CSV text is."""

from __future__ import annotations

import os
from typing import BinaryIO, Final

from bot.schools.duo.problems import DuoFormatError

# The largest file read: thirty times DUO's national list of primary school locations.
MAX_FILE_BYTES: Final = 64 << 20
# What other programs write at the start of files that are not CSV text.
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
_SAVE_AS_CSV = "in Excel choose Save As, CSV (puntkomma-gescheiden)"


def source_name(source: str | os.PathLike[str] | BinaryIO) -> str:
    """Name a source the way an error message should."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<DUO file>"


def read_bytes(source: str | os.PathLike[str] | BinaryIO) -> bytes:
    """Read the whole source; DUO lists are a few megabytes, so anything far larger is refused."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as fileobj:
            data = fileobj.read(MAX_FILE_BYTES + 1)
    else:
        data = source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        # Also what keeps /dev/zero or a huge wrong file from filling the memory.
        raise DuoFormatError(
            source_name(source),
            1,
            f"the file is over {MAX_FILE_BYTES >> 20} MB; DUO's national lists are about "
            "2 MB: is this the right file?",
        )
    return data


def decode(data: bytes, source: str) -> str:
    """Decode a DUO file: cp1252 by spec, UTF-8 when a program re-saved it that way."""
    _refuse_binary(data, source)
    if data.startswith(b"\xef\xbb\xbf"):
        # Without the mark itself, so that an error's position is the byte's own.
        return _decode_as(data[3:], "utf-8", source)
    # cp1252 text with accents is practically never valid UTF-8, so a file that
    # decodes as UTF-8 and has non-ASCII bytes was re-saved as UTF-8 without a BOM.
    if not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return _decode_as(data, "cp1252", source)


def _refuse_binary(data: bytes, source: str) -> None:
    """Name what a file that is no CSV text seems to be; NUL never occurs in a text file."""
    if data.startswith(_WORKBOOK_MAGIC):
        raise DuoFormatError(
            source, 1, f"this is an Excel workbook, not a CSV list; {_SAVE_AS_CSV}"
        )
    if data.startswith(_UTF16_MARKS):
        raise DuoFormatError(
            source, 1, f"the file is saved as UTF-16 (Unicode text); {_SAVE_AS_CSV}"
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DuoFormatError(
            source,
            data.count(b"\n", 0, nul) + 1,
            "byte 0x00 (NUL): this is not a text file, or it is damaged; "
            "a DUO list is a CSV text file",
        )


def _decode_as(data: bytes, encoding: str, source: str) -> str:
    """Decode with one encoding, or name the line with the offending byte."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise DuoFormatError(
            source,
            line,
            f"byte 0x{byte:02X} is not valid {encoding}; save the file as cp1252 or UTF-8",
        ) from None
