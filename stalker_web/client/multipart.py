"""multipart/form-data bodies for file uploads, with the standard library only."""

import mimetypes
import os
import uuid
from typing import Mapping, Optional, Tuple


def encode(
    fields: Mapping[str, str], file_field: str, path: str, filename: Optional[str] = None
) -> Tuple[bytes, str]:
    """The body and its Content-Type for ``fields`` and the file at ``path`` (read whole)."""
    boundary = "stalker-" + uuid.uuid4().hex
    name = filename or os.path.basename(path)
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    parts = []
    for key, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{key}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    with open(path, "rb") as stream:
        content = stream.read()
    header = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{_quoted(name)}"\r\nContent-Type: {kind}\r\n\r\n'
    )
    body = b"".join(parts) + header.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, "multipart/form-data; boundary=" + boundary


def _quoted(name: str) -> str:
    return name.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "")
