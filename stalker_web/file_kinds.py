"""The types of file the studio may accept, by extension: what their content starts with and
whether they get a thumbnail. Plain data, so the configuration can check its ``[uploads]``
extensions against it without importing any service."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    """A type of file the studio may accept: its MIME type, the leading bytes its content
    starts with (any one of ``signatures``, each a tuple of (offset, bytes) that must all
    match) and whether it gets a thumbnail."""

    label: str
    mime_type: str
    signatures: tuple[tuple[tuple[int, bytes], ...], ...]
    thumbnail: bool = False

    def matches(self, header: bytes) -> bool:
        """Whether ``header`` (a file's first bytes) starts as this kind's content does."""
        return any(
            all(header[offset : offset + len(magic)] == magic for offset, magic in signature)
            for signature in self.signatures
        )


_JPEG = FileKind("JPEG image", "image/jpeg", (((0, b"\xff\xd8\xff"),),), True)
_TIFF = FileKind("TIFF image", "image/tiff", (((0, b"II*\x00"),), ((0, b"MM\x00*"),)), True)
_QUICKTIME_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip")
KNOWN_KINDS: dict[str, FileKind] = {
    ".png": FileKind("PNG image", "image/png", (((0, b"\x89PNG\r\n\x1a\n"),),), True),
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
    ".gif": FileKind("GIF image", "image/gif", (((0, b"GIF87a"),), ((0, b"GIF89a"),)), True),
    ".tif": _TIFF,
    ".tiff": _TIFF,
    ".webp": FileKind("WebP image", "image/webp", (((0, b"RIFF"), (8, b"WEBP")),), True),
    ".exr": FileKind("OpenEXR image", "image/x-exr", (((0, b"v/1\x01"),),)),
    ".mp4": FileKind("MP4 video", "video/mp4", (((4, b"ftyp"),),)),
    ".mov": FileKind(
        "QuickTime video", "video/quicktime", tuple(((4, box),) for box in _QUICKTIME_BOXES)
    ),
    ".pdf": FileKind("PDF document", "application/pdf", (((0, b"%PDF-"),),)),
    ".ma": FileKind("Maya ASCII scene", "application/x-maya-ascii", (((0, b"//Maya ASCII"),),)),
    ".mb": FileKind(
        "Maya binary scene", "application/x-maya-binary", (((0, b"FOR4"),), ((0, b"FOR8"),))
    ),
    ".blend": FileKind("Blender scene", "application/x-blender", (((0, b"BLENDER"),),)),
}


# The image types every browser draws in ``<img>`` (TIFF and EXR are shown by their thumbnail).
BROWSER_PICTURES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def shown_as(mime_type: str) -> str:
    """How a page shows a stored file of ``mime_type``: "picture" (drawn in ``<img>``), "video"
    (a known video kind, played in ``<video>``) or "file" (a download link)."""
    if mime_type in BROWSER_PICTURES:
        return "picture"
    if mime_type.startswith("video/") and any(
        kind.mime_type == mime_type for kind in KNOWN_KINDS.values()
    ):
        return "video"
    return "file"
