"""PDF documents from HTML, through WeasyPrint."""

from __future__ import annotations

from PIL import ImageFile


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    # Imported on first use: WeasyPrint loads Pango, which most processes never need.
    from weasyprint import HTML

    # Importing WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole
    # process; the photo upload check relies on Pillow refusing truncated files.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return HTML(string=html, base_url=base_url).write_pdf()
