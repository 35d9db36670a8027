"""Officer photos: any upload becomes a fresh square JPEG with no metadata (EXIF, GPS)."""
import io

from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
SIDE = 480


class InvalidPhoto(ValueError):
    pass


def reencode(data: bytes, side: int = SIDE) -> bytes:
    """A `side`×`side` JPEG made from the image in `data`, turned upright, centre-cropped."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise InvalidPhoto(f"{probe.format} images are not accepted")
            if probe.width * probe.height > MAX_PIXELS:
                raise InvalidPhoto("image too large")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise InvalidPhoto("not an image") from error
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)  # no exif= argument: nothing carried over
    return out.getvalue()
