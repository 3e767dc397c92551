"""Certificate files are typed by their content, stored under a generated name with that type's extension, and
downloaded as attachments that no browser runs on the portal's origin (page view and API alike)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import Certificate
from tests.partners.files import TINY_PDF, TINY_PNG

# A PDF/HTML polyglot: a valid PDF header, and markup a browser would run if it rendered the file as a page.
POLYGLOT = TINY_PDF + b"<html><body><script>alert(document.cookie)</script></body></html>\n"
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 16


def upload(client, name, content):
    return client.post(
        "/o/alu-collect/certificates/new/",
        {"kind": "licence", "title": "Waste permit 2026", "file": SimpleUploadedFile(name, content)},
    )


def api_upload(api, name, content):
    return api.post(
        "/api/v1/organizations/alu-collect/certificates/",
        {"kind": "licence", "title": "Waste permit 2026", "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def test_a_polyglot_named_html_is_refused(world, client_for, settings):
    """Before: stored as certificates/<year>/poly.html and served inline. Now refused on the file field."""
    response = upload(client_for(world.editor), "poly.html", POLYGLOT)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "“poly.html” is named as a .html file; certificates must be PDF, PNG or JPEG files."
    ]
    assert not Certificate.objects.exists()
    assert not (settings.MEDIA_ROOT / "certificates").exists()


def test_a_polyglot_named_pdf_is_stored_as_pdf_under_a_generated_name(world, client_for, settings):
    assert upload(client_for(world.editor), "poly.pdf", POLYGLOT).status_code == 302
    certificate = Certificate.objects.get()
    assert re.fullmatch(r"certificates/\d{4}/[0-9a-f]{32}\.pdf", certificate.file.name)
    assert certificate.content_type == "application/pdf"


@pytest.mark.parametrize(
    "name,content,stored,content_type",
    [
        ("scan", TINY_PNG, "png", "image/png"),
        ("photo.jpeg", JPEG, "jpg", "image/jpeg"),
        ("permit.bin", TINY_PDF, "pdf", "application/pdf"),
    ],
)
def test_the_stored_extension_is_the_detected_type(world, api_for, name, content, stored, content_type):
    response = api_upload(api_for(world.editor), name, content)
    assert response.status_code == 201, response.json()
    certificate = Certificate.objects.get()
    assert certificate.file.name.endswith(f".{stored}") and certificate.content_type == content_type


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("fake.pdf", HTML, "Certificates must be PDF, PNG or JPEG files."),
        (
            "scan.pdf",
            TINY_PNG,
            "“scan.pdf” is named as a PDF but its content is a PNG image; rename it or upload the right file.",
        ),
        (
            "photo.png",
            JPEG,
            "“photo.png” is named as a PNG image but its content is a JPEG image; rename it or upload the right file.",
        ),
        ("pdf-ish.pdf", b"%PDF" + b"\x00" * 20, "Certificates must be PDF, PNG or JPEG files."),  # no "%PDF-"
        (
            "drawing.svg",
            TINY_PNG,
            "“drawing.svg” is named as a .svg file; certificates must be PDF, PNG or JPEG files.",
        ),
    ],
)
def test_content_that_does_not_match_its_type_is_refused_on_the_file_field(world, api_for, name, content, message):
    response = api_upload(api_for(world.editor), name, content)
    assert response.status_code == 400
    assert response.json() == {"file": [message]}
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    "path", ["/o/alu-collect/certificates/{pk}/file/", "/api/v1/organizations/alu-collect/certificates/{pk}/file/"]
)
def test_downloads_are_sandboxed_attachments(world, client_for, path):
    """Both download routes: attachment named after the title, the stored type, nosniff and a sandbox CSP."""
    client = client_for(world.editor)
    assert upload(client, "poly.pdf", POLYGLOT).status_code == 302
    certificate = Certificate.objects.get()
    response = client_for(world.shared_member).get(path.format(pk=certificate.pk), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="waste-permit-2026.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == POLYGLOT


def test_a_file_stored_before_keeps_working(world, client_for, settings):
    """A certificate stored under its uploaded name (before generated names) still downloads, as an attachment
    with the headers."""
    folder = settings.MEDIA_ROOT / "certificates" / "2025"
    folder.mkdir(parents=True)
    (folder / "old-permit.pdf").write_bytes(TINY_PDF)
    certificate = Certificate.objects.create(
        organization=world.partner,
        kind="licence",
        title="Old permit",
        content_type="application/pdf",
        size_bytes=len(TINY_PDF),
        file="certificates/2025/old-permit.pdf",
    )
    assert certificate.file.name == "certificates/2025/old-permit.pdf"
    response = client_for(world.viewer).get(f"/o/alu-collect/certificates/{certificate.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="old-permit.pdf"'
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == TINY_PDF
