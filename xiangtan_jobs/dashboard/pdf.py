"""The monthly assessment report as a PDF (reportlab), with the same lines as its Excel twin.

The Chinese text is set in STSong-Light, one of the CID fonts every PDF reader carries, so the
server needs no font file and the PDF stays small; the reader draws the glyphs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _cell(value: object) -> str:
    """A figure as people write it: 6, not 6.0; 92.5 stays 92.5."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def report_pdf(*, title: str, head: Sequence[Sequence[object]], table: Sequence[Sequence[object]]) -> bytes:
    """An A4 page: the title, the facts of the report (label, value) and one table whose first
    row is its header."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm
    )
    heading = ParagraphStyle("h", fontName=FONT, fontSize=16, leading=22, spaceAfter=6)
    body = ParagraphStyle("b", fontName=FONT, fontSize=11, leading=16)
    story: list[object] = [Paragraph(title, heading)]
    story += [Paragraph(f"{label}：{value}", body) for label, value in head]
    story.append(Spacer(1, 6 * mm))
    grid = Table([[_cell(cell) for cell in row] for row in table], hAlign="LEFT", repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 11),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#666666")),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story.append(grid)
    doc.build(story)
    return buffer.getvalue()
