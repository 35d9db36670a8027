"""Photos uploaded to the portal: any upload becomes a fresh JPEG with no metadata (EXIF,
GPS) — officers' photos square, residents' report photos whole and at most REPORT_SIDE."""
import io

from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
SIDE = 480


class InvalidPhoto(ValueError):
    pass


REPORT_SIDE = 1600


def reencode(data: bytes, side: int = SIDE) -> bytes:
    """A `side`×`side` JPEG made from the image in `data`, turned upright, centre-cropped."""
    return _reencoded(data, lambda image: ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS))


def reencode_whole(data: bytes, longest_side: int = REPORT_SIDE) -> bytes:
    """A JPEG of the whole image in `data`, turned upright, its longest side at most `longest_side`."""
    def shrink(image):
        image.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
        return image

    return _reencoded(data, shrink)


def _reencoded(data, resize):
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
            image = resize(image)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise InvalidPhoto("not an image") from error
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)  # no exif= argument: nothing carried over
    return out.getvalue()
