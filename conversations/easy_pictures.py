"""The picture an easy-read check-in starts with: three faces, smiling, straight and sad,
that match the three answer buttons (😀 😐 😞). Drawn here, in high contrast and with no
words in it, so it needs no translation and no file to keep in step; its caption says
in words what each face means, for anyone who cannot see it."""

from __future__ import annotations

from functools import cache
from io import BytesIO

from PIL import Image, ImageDraw

SIZE = 300  # each face's square, in pixels
INK = (20, 20, 20)
FACE = (255, 214, 10)  # a strong yellow: 12.7 to 1 against the ink
PAPER = (255, 255, 255)


def _face(draw: ImageDraw.ImageDraw, left: int, mood: str) -> None:
    margin, line = 20, 14
    box = (left + margin, margin, left + SIZE - margin, SIZE - margin)
    draw.ellipse(box, fill=FACE, outline=INK, width=line)
    for eye_x in (left + SIZE * 0.36, left + SIZE * 0.64):
        draw.ellipse((eye_x - 16, SIZE * 0.36 - 16, eye_x + 16, SIZE * 0.36 + 16), fill=INK)
    mouth = (left + SIZE * 0.3, SIZE * 0.5, left + SIZE * 0.7, SIZE * 0.78)
    if mood == "good":
        draw.arc(mouth, start=20, end=160, fill=INK, width=line)
    elif mood == "bad":
        draw.arc((mouth[0], SIZE * 0.62, mouth[2], SIZE * 0.9), start=200, end=340, fill=INK,
                 width=line)
    else:
        draw.line((mouth[0], SIZE * 0.68, mouth[2], SIZE * 0.68), fill=INK, width=line)


@cache
def faces_png() -> bytes:
    """Good, OK and not good, left to right, as the buttons come."""
    picture = Image.new("RGB", (SIZE * 3, SIZE), PAPER)
    draw = ImageDraw.Draw(picture)
    for place, mood in enumerate(("good", "ok", "bad")):
        _face(draw, place * SIZE, mood)
    out = BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()
