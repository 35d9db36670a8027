"""A printable A4 poster of a team, for residents without the internet (Leicestershire put
theirs up in shops and libraries): the team and its officers, how to reach them, the next
three meetings, current priorities and a QR code to the team page. One page in English,
one in Welsh, from the same data as the web pages.

fpdf2 writes the PDF: pure Python, maintained, and it embeds a subset of a TrueType font, so
Welsh letters such as ŵ and ŷ print (the PDF core fonts stop at Latin-1). segno makes the QR
code: pure Python, no dependencies, and it gives the module matrix, which is drawn here as
vector squares that stay sharp at any printed size. The font is Liberation Sans (app/fonts,
with its licence), shipped so the poster looks the same on every server.
"""
from dataclasses import dataclass, field
from pathlib import Path

import segno
from fpdf import FPDF

FONTS = Path(__file__).resolve().parent.parent / "fonts"
INK = (11, 12, 12)
ACCENT = (29, 112, 184)
MARGIN = 15  # mm


@dataclass(frozen=True)
class PosterMeeting:
    when: str  # already in words and London time, in the page's language
    title: str
    venue: str


@dataclass(frozen=True)
class PosterPage:
    """Everything one page says, already in its language."""

    heading: str
    team_name: str
    officers_heading: str
    officers: list  # ["Name, PCSO", ...]
    contact_heading: str
    contact_lines: list
    meetings_heading: str
    meetings: list  # [PosterMeeting]
    no_meetings: str
    priorities_heading: str
    priorities: list
    no_priorities: str
    scan_text: str
    url: str
    emergency: str
    extra: dict = field(default_factory=dict)


def _qr(pdf, url, x, y, size):
    """The QR code of `url` as black squares in a `size` mm square at (x, y), quiet zone included."""
    code = segno.make(url, error="m", micro=False)
    matrix = [list(row) for row in code.matrix]
    quiet = 4
    count = len(matrix) + 2 * quiet
    module = size / count
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(*INK)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(x + (start + quiet) * module, y + (r + quiet) * module, (c - start) * module, module,
                         style="F")
            else:
                c += 1


def _section(pdf, heading):
    pdf.ln(3)
    pdf.set_font("Sans", "B", 15)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(*INK)
    pdf.set_font("Sans", "", 12)


def _lines(pdf, lines, width=0):
    for line in lines:
        pdf.multi_cell(width, 6, line, new_x="LMARGIN", new_y="NEXT", align="L")


def _page(pdf, page):
    pdf.add_page()
    pdf.set_text_color(*INK)
    pdf.set_font("Sans", "", 14)
    pdf.multi_cell(0, 7, page.heading, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("Sans", "B", 26)
    pdf.multi_cell(0, 11, page.team_name, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1)
    pdf.line(MARGIN, pdf.get_y() + 2, 210 - MARGIN, pdf.get_y() + 2)
    pdf.ln(4)

    _section(pdf, page.meetings_heading)
    if page.meetings:
        for meeting in page.meetings:
            pdf.set_font("Sans", "B", 12)
            pdf.multi_cell(0, 6, meeting.when, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.set_font("Sans", "", 12)
            pdf.multi_cell(0, 6, f"{meeting.title} – {meeting.venue}", new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1)
    else:
        _lines(pdf, [page.no_meetings])

    _section(pdf, page.priorities_heading)
    _lines(pdf, [f"• {p}" for p in page.priorities] or [page.no_priorities])

    _section(pdf, page.officers_heading)
    _lines(pdf, page.officers)

    _section(pdf, page.contact_heading)
    _lines(pdf, page.contact_lines)

    # The QR code and the address it holds, at the foot of the page.
    size = 45
    top = 297 - MARGIN - size - 12
    if pdf.get_y() > top - 4:
        top = pdf.get_y() + 4
    _qr(pdf, page.url, MARGIN, top, size)
    pdf.set_xy(MARGIN + size + 6, top + 4)
    pdf.set_font("Sans", "B", 13)
    pdf.multi_cell(210 - 2 * MARGIN - size - 6, 6.5, page.scan_text, new_x="LEFT", new_y="NEXT", align="L")
    pdf.set_font("Sans", "", 11)
    pdf.multi_cell(210 - 2 * MARGIN - size - 6, 5.5, page.url, new_x="LEFT", new_y="NEXT", align="L")
    pdf.set_xy(MARGIN, top + size + 3)
    pdf.set_font("Sans", "B", 12)
    pdf.multi_cell(0, 6, page.emergency, new_x="LMARGIN", new_y="NEXT", align="L")


def render(pages, title):
    """The PDF (bytes) of the poster: one A4 page per PosterPage."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.add_font("Sans", "", str(FONTS / "LiberationSans-Regular.ttf"))
    pdf.add_font("Sans", "B", str(FONTS / "LiberationSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_creator("Neighbourhood Policing portal")
    pdf.set_lang("en-GB")
    for page in pages:
        _page(pdf, page)
    return bytes(pdf.output())
