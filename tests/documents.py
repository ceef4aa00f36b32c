"""Checks for the documents made as tagged PDFs: the structure a screen reader needs is there, and
the PDF says what the page says."""

import io
import re
from html.parser import HTMLParser


def _words(text: str) -> list[str]:
    return text.split()


def pdf_words(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    text = re.sub(r"Page \d+ of \d+", " ", text)  # the running footer is the PDF's own
    return [word for word in _words(text) if word != "•"]  # list markers are drawn, not the page's text


class _DocumentText(HTMLParser):
    """The text of the page's [data-document] element, as a reader sees it (hidden text left out)."""

    def __init__(self):
        super().__init__()
        self.depth, self.hidden, self.parts = 0, 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            if tag not in ("br", "img", "input", "meta", "link", "hr"):
                self.depth += 1
                if self.hidden or "govuk-visually-hidden" in (attrs.get("class") or "") or "ascm-no-print" in (attrs.get("class") or ""):
                    self.hidden += 1
        elif "data-document" in attrs:
            self.depth = 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if self.hidden:
                self.hidden -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if self.depth and not self.hidden:
            self.parts.append(data)


def page_document_words(html: str) -> list[str]:
    parser = _DocumentText()
    parser.feed(html)
    return _words("".join(parser.parts))


def structure_tags(pdf: bytes) -> list[str]:
    import pikepdf

    found = []

    def walk(node):
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(str(node.S).lstrip("/"))
            kids = node.get("/K")
            if kids is not None:
                walk(kids)
        elif isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)

    with pikepdf.open(io.BytesIO(pdf)) as document:
        walk(document.Root.StructTreeRoot)
    return found


def assert_tagged_pdf(pdf: bytes, *, title: str, tables: bool = True) -> None:
    """A tagged PDF (PDF/UA-1): marked, with a structure tree whose headings (and tables) are
    tagged, its language English (UK) and its title shown."""
    import pikepdf

    assert pdf.startswith(b"%PDF-")
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        assert root.MarkInfo.Marked is True or bool(root.MarkInfo.Marked)
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == "en-GB"
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        assert str(document.docinfo.get("/Title")) == title
    tags = structure_tags(pdf)
    assert "H1" in tags, tags
    if tables:
        assert {"Table", "TR", "TH", "TD"} <= set(tags), tags


def assert_pdf_says_what_the_page_says(pdf: bytes, page_html: str) -> None:
    """Every character of the page's document, in order, is the PDF's (spaces aside: a PDF's lines
    may wrap inside "2(1)(a)")."""
    page, printed = "".join(page_document_words(page_html)), "".join(pdf_words(pdf))
    assert page, "the page has no [data-document] text"
    if printed != page:
        at = next((i for i, (a, b) in enumerate(zip(printed, page, strict=False)) if a != b), min(len(printed), len(page)))
        raise AssertionError(f"The PDF and the page differ at character {at}: PDF …{printed[max(at - 40, 0):at + 40]}… "
                             f"page …{page[max(at - 40, 0):at + 40]}…")
