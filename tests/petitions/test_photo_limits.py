"""Photos are sized from their header and refused above MAX_PHOTO_MEGAPIXELS before any pixel is decoded; the
memory one upload may take is bounded (core/images.py states it) — issue 13."""

import io
import json
import struct
import subprocess
import sys
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from core import images
from petitions.models import Petition

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")]


def bomb_png(side: int = 13_300) -> bytes:
    """A single-colour 8-bit grey PNG of side × side pixels, written row by row (never held decoded): 177 MP in
    about half a megabyte, just under Pillow's own decompression-bomb limit of 89 MP × 2."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte 0, then black pixels
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "bomb.png"
    path.write_bytes(bomb_png())
    return path


def _post(client, categories, upload):
    return client.post("/api/v1/petitions/", {
        "category": categories["repair"].pk, "description": "墙皮脱落", "photos": [upload],
    }, format="multipart")


def test_the_13300_pixel_png_is_refused_and_nothing_is_written(as_user, categories, bomb):
    before = Petition.objects.count()
    response = _post(as_user("resident"), categories, SimpleUploadedFile("wall.png", bomb.read_bytes()))
    assert response.status_code == 400
    assert response.json() == {"photos": ["照片最多 50 百万像素。"]}
    assert Petition.objects.count() == before


@override_settings(MAX_PHOTO_MEGAPIXELS=1)
def test_the_limit_is_a_setting(as_user, categories):
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 1000), (200, 30, 30)).save(buffer, format="JPEG")
    response = _post(as_user("resident"), categories, SimpleUploadedFile("wall.jpg", buffer.getvalue()))
    assert response.status_code == 400
    assert "photos" in response.json()


def test_the_refusal_decodes_nothing_and_memory_stays_bounded(bomb):
    """In a fresh interpreter (its peak resident memory is its own): validating the bomb raises the peak by less
    than 20 MB, where decoding it would take 177 MB (1.4 GB in a worker for the RGB version)."""
    script = f"""
import json, resource, django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from core.errors import DomainError
from petitions.services import validate_photo
upload = SimpleUploadedFile("wall.png", open({str(bomb)!r}, "rb").read())
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    validate_photo(upload)
    refused = False
except DomainError:
    refused = True
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"refused": refused, "grew_kb": after - before}}))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         cwd=settings.BASE_DIR, env={**__import__("os").environ,
                                                     "DJANGO_SETTINGS_MODULE": "config.settings.test"})
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["refused"] is True
    assert result["grew_kb"] < 20 * 1024


def test_a_large_jpeg_is_decoded_reduced():
    """`reduce_upright` asks the JPEG decoder for a reduced scale: a 4000 × 3000 photo is decoded at 1/2 scale
    or less (12 MB instead of 48), not in full."""
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), (200, 30, 30)).save(buffer, format="JPEG")
    buffer.seek(0)
    with images.open_photo(buffer) as image:
        decoded = []
        load = image.load
        image.load = lambda: (decoded.append(image.size), load())[1]
        result = images.reduce_upright(image, 1600)
    assert decoded and decoded[0][0] <= 2000
    assert max(result.size) == 1600


def test_the_stated_bound():
    assert images.max_decode_bytes() == 250_000_000
