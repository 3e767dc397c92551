"""Certificate files: what a file is (read from its content, never from its name), where it is stored, and how it
is handed back.

- Type: `filetype` (pure Python) reads the first bytes; only PDF, PNG and JPEG are accepted, each with its full
  signature (a PDF starts with "%PDF-", a PNG with its eight-byte signature, a JPEG with FF D8 FF).
- A name that says another type than the content is refused: "scan.pdf" holding a PNG, or "page.html" holding a PDF
  (a PDF/HTML polyglot). A name without an extension, or a neutral one (".bin"), leaves the content to decide.
- Storage: under a generated name with the extension of the detected type (certificates/<year>/<random>.pdf), so the
  uploader's name never reaches the disk.
- Download: always an attachment named after the certificate's title, with the stored content type,
  `X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox`, so even a file that a browser could read
  as a page is never run as one on the portal's origin. Files stored before this keep their names and download the
  same way.
"""

import os
import uuid

import filetype
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.text import slugify

ACCEPTED = {  # content type -> (full signature, stored extension, name for people)
    "application/pdf": (b"%PDF-", "pdf", "PDF"),
    "image/png": (b"\x89PNG\r\n\x1a\n", "png", "PNG image"),
    "image/jpeg": (b"\xff\xd8\xff", "jpg", "JPEG image"),
}
NAME_SAYS = {  # extension of the uploaded name -> what the name claims
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "jpe": "image/jpeg",
}
# Names that claim a type a browser runs or renders as a document: refused whatever the content.
ACTIVE_EXTENSIONS = {"html", "htm", "xhtml", "shtml", "svg", "svgz", "xml", "xsl", "xslt", "js", "mjs", "php"}
DOWNLOAD_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}


def detect(file) -> str | None:
    """The accepted content type of the file's first bytes, or None."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(8192)
    file.seek(position)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ACCEPTED:
        return None
    signature = ACCEPTED[kind.mime][0]
    return kind.mime if head.startswith(signature) else None


def name_mismatch(name: str, detected: str) -> str | None:
    """Why the uploaded name contradicts the detected content, or None when it does not."""
    base = os.path.basename(name or "")
    extension = os.path.splitext(base)[1].lstrip(".").lower()
    if extension in ACTIVE_EXTENSIONS:
        return f"“{base}” is named as a .{extension} file; certificates must be PDF, PNG or JPEG files."
    claimed = NAME_SAYS.get(extension)
    if claimed and claimed != detected:
        return (
            f"“{base}” is named as a {ACCEPTED[claimed][2]} but its content is a {ACCEPTED[detected][2]}; "
            "rename it or upload the right file."
        )
    return None


def upload_to(instance, filename: str) -> str:
    """certificates/<year>/<32 random hex>.<extension of the detected type>; the uploaded name is not kept."""
    extension = ACCEPTED.get(instance.content_type, (None, "bin"))[1]
    return f"certificates/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


def download_name(certificate) -> str:
    extension = ACCEPTED.get(certificate.content_type, (None, "bin"))[1]
    return f"{slugify(certificate.title) or 'certificate'}.{extension}"


def download_response(certificate) -> FileResponse:
    """The stored file as an attachment that no browser renders or runs on our origin."""
    try:
        stored = certificate.file.open("rb")
    except FileNotFoundError:
        raise Http404("The certificate's file is missing.") from None
    response = FileResponse(
        stored,
        content_type=certificate.content_type or "application/octet-stream",
        as_attachment=True,
        filename=download_name(certificate),
    )
    for header, value in DOWNLOAD_HEADERS.items():
        response[header] = value
    return response
