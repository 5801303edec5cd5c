"""Test pictures made on the spot with Pillow (or byte by byte where Pillow would have to
allocate what the test wants to prove is never allocated)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

# Torbat-e Heydarieh, where a saffron grower's home would be.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (35.0, 16.0, 26.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (59.0, 13.0, 10.0),
}
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="35,16.43N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
SECRET = "Reza-home-camera-SN-4471"


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = SECRET
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    return exif


def two_halves(width: int = 600, height: int = 300) -> Image.Image:
    """Red on the left half, blue on the right: shows which way the pixels were turned."""
    image = Image.new("RGB", (width, height), (220, 30, 30))
    ImageDraw.Draw(image).rectangle((width // 2, 0, width, height), fill=(30, 30, 220))
    return image


def encode(image: Image.Image, image_format: str, **options) -> bytes:
    output = io.BytesIO()
    image.save(output, format=image_format, **options)
    return output.getvalue()


def jpeg(width: int = 320, height: int = 240) -> bytes:
    """A plain photo: one colour, no metadata."""
    return encode(Image.new("RGB", (width, height), (180, 40, 30)), "JPEG", quality=85)


def jpeg_with_gps(width: int = 600, height: int = 300, orientation: int = 1) -> bytes:
    return encode(
        two_halves(width, height),
        "JPEG",
        exif=exif_with_gps(orientation),
        xmp=XMP,
        comment=SECRET.encode(),
        quality=95,
    )


def png_with_metadata(width: int = 300, height: int = 200) -> bytes:
    info = PngInfo()
    info.add_text("Comment", SECRET)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    image = two_halves(width, height).convert("RGBA")
    return encode(image, "PNG", pnginfo=info, exif=exif_with_gps())


def webp_with_metadata(width: int = 320, height: int = 240) -> bytes:
    return encode(two_halves(width, height), "WEBP", exif=exif_with_gps(), xmp=XMP)


def gif() -> bytes:
    return encode(two_halves(64, 32), "GIF")


def truncated_jpeg() -> bytes:
    data = encode(two_halves(400, 300), "JPEG", quality=90)
    return data[: len(data) // 2]


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A real, fully decodable 1-bit PNG of width × height (400 megapixels by default,
    1.2 GB once decoded as RGB) in a few dozen kilobytes, compressed row by row so the
    test itself never holds the pixels."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims width × height: what Pillow reads before
    decoding anything."""
    data = bytearray(encode(two_halves(16, 16), "JPEG"))
    start = data.index(b"\xff\xc0")
    # SOF0: marker, length (2), precision (1), height (2), width (2).
    data[start + 5 : start + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(root: Path) -> list[str]:
    """Every file under a media root, as storage names."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
