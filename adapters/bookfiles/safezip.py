"""Zip archives read defensively: bombs and encryption are refused before parsing.

Every entry's declared size counts against a total budget and its compression ratio is
capped; the bytes actually read are counted too (a lying header cannot get past the
budget). XML is parsed with entity resolution, DTD loading and network access off.
"""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING

from lxml import etree

from domain.errors import EncryptedFile, FileTooLarge, UnreadableFile

if TYPE_CHECKING:
    from collections.abc import Iterable

_SMALL_ENTRY = 1024 * 1024  # entries below this may be very compressible (runs of spaces)
_FONT_OBFUSCATION = {
    "http://www.idpf.org/2008/embedding",
    "http://ns.adobe.com/pdf/enc#RC",
}
ENC = "{http://www.w3.org/2001/04/xmlenc#}"


def xml_parser(*, recover: bool = False) -> etree.XMLParser:
    """An XML parser that never expands entities, loads DTDs or reaches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=recover,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, *, recover: bool = False) -> etree._Element:
    """The root of ``data``. Raises UnreadableFile for XML that cannot be parsed."""
    try:
        root = etree.fromstring(data, parser=xml_parser(recover=recover))
    except etree.XMLSyntaxError as error:
        raise UnreadableFile(f"the book's XML is malformed: {error}") from None
    if root is None:
        raise UnreadableFile("the book's XML is empty")
    return root


class SafeZip:
    """A zip file opened with limits: ``max_total`` uncompressed bytes in all, and no
    large entry compressed more than ``max_ratio`` times."""

    def __init__(self, path: str, *, max_total: int, max_ratio: int) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise UnreadableFile(f"the file is not a valid zip archive: {error}") from None
        infos = self._zip.infolist()
        self._infos = {info.filename: info for info in infos}
        self._budget = max_total
        if any(info.flag_bits & 0x1 for info in infos):
            raise EncryptedFile("the book's archive is password-protected")
        total = sum(info.file_size for info in infos)
        if total > max_total:
            raise FileTooLarge(
                f"the book unpacks to {total} bytes, more than the limit of {max_total}"
            )
        for info in infos:
            if info.file_size > _SMALL_ENTRY and info.file_size > max_ratio * max(
                info.compress_size, 1
            ):
                ratio = info.file_size // max(info.compress_size, 1)
                raise UnreadableFile(
                    f"{info.filename!r} is compressed {ratio} times over: refused as a zip bomb"
                )

    def names(self) -> Iterable[str]:
        """Every entry's name."""
        return self._infos.keys()

    def has(self, name: str) -> bool:
        """Whether the archive holds ``name``."""
        return name in self._infos

    def read(self, name: str) -> bytes:
        """An entry's bytes, counted against the budget. Raises UnreadableFile when the
        entry is missing or corrupt, FileTooLarge past the budget."""
        info = self._infos.get(name)
        if info is None:
            raise UnreadableFile(f"the book refers to {name!r}, which it does not contain")
        parts: list[bytes] = []
        try:
            with self._zip.open(info) as entry:
                while chunk := entry.read(256 * 1024):
                    self._budget -= len(chunk)
                    if self._budget < 0:
                        raise FileTooLarge("the book unpacks to more than the limit")
                    parts.append(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
            raise UnreadableFile(f"{name!r} is corrupt: {error}") from None
        return b"".join(parts)

    def check_not_encrypted(self) -> None:
        """Raise EncryptedFile when the book's content is encrypted (DRM); fonts
        obfuscated the standard way do not count."""
        if self.has("META-INF/rights.xml"):
            raise EncryptedFile("the book is protected by DRM (META-INF/rights.xml)")
        if not self.has("META-INF/encryption.xml"):
            return
        root = parse_xml(self.read("META-INF/encryption.xml"), recover=True)
        for data in root.iter(f"{ENC}EncryptedData"):
            method = data.find(f"{ENC}EncryptionMethod")
            algorithm = method.get("Algorithm", "") if method is not None else ""
            if algorithm not in _FONT_OBFUSCATION:
                raise EncryptedFile("the book's content is encrypted (DRM)")

    def close(self) -> None:
        self._zip.close()


__all__ = ["SafeZip", "parse_xml", "xml_parser"]
