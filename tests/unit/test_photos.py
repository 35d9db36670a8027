"""Uploaded photos are re-encoded, resized and stripped of EXIF; non-images are refused."""
import io

import pytest
from PIL import Image

from app.domain.photos import InvalidPhoto, reencode


def jpeg_with_exif(size=(1200, 800)):
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = 6  # orientation: rotate
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_becomes_a_small_square_jpeg_without_exif():
    result = Image.open(io.BytesIO(reencode(jpeg_with_exif())))
    assert result.format == "JPEG" and result.size == (480, 480)
    assert not result.getexif() and b"SecretCam" not in reencode(jpeg_with_exif())


def test_a_png_is_accepted():
    out = io.BytesIO()
    Image.new("RGBA", (50, 80)).save(out, "PNG")
    assert Image.open(io.BytesIO(reencode(out.getvalue()))).format == "JPEG"


@pytest.mark.parametrize("data", [b"<script>alert(1)</script>", b"GIF89a broken", b""])
def test_anything_but_an_image_is_refused(data):
    with pytest.raises(InvalidPhoto):
        reencode(data)
