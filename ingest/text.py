"""Text from documents: PDF (pypdfium2), plain text and HTML, with page numbers kept.

A :class:`Document` is what every report and article reader starts from. Reading never
raises for a bad file: problems are collected in ``Document.errors`` so a batch can go on.
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import html
import itertools
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterable, Iterator

SUPPORTED_SUFFIXES = {".pdf", ".txt", ".html", ".htm"}

# pdfium marks a hyphen it placed at a line end with U+FFFE (and sometimes U+00AD).
_SOFT_HYPHENS = "\ufffe\u00ad"
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?\s*$", re.I)


@dataclass
class Document:
    """A document's text. ``pages`` holds the cleaned text of each page (one item for .txt/.html)."""

    path: str
    sha256: str
    suffix: str
    pages: list[str] = field(default_factory=list)
    page_count: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All pages joined by blank lines."""
        return "\n\n".join(self.pages)

    @property
    def chars(self) -> int:
        return len(self.text)

    def page_of(self, snippet: str) -> int | None:
        """The 1-based page on which ``snippet`` (whitespace-insensitive) starts, if found."""
        needle = " ".join(snippet.split())[:60]
        if not needle:
            return None
        for number, page in enumerate(self.pages, start=1):
            if needle in " ".join(page.split()):
                return number
        return None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_document(path: str | Path) -> Document:
    """Read a PDF, .txt or .html file into a :class:`Document`; errors are recorded, not raised."""
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):   # a pipe or device would block or never end
            return Document(str(path), "", path.suffix.lower(), errors=[f"{path}: not a regular file"])
        sha = sha256_of(path)
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        return Document(str(path), "", path.suffix.lower(), errors=[f"{path}: {unreadable(path, exc)}"])
    doc = Document(str(path), sha, path.suffix.lower())
    if info.st_size == 0:
        doc.errors.append(f"{path}: empty file (0 bytes)")
        return doc
    if doc.suffix == ".pdf" or head.startswith(b"%PDF"):
        _read_pdf(path, head, doc)
    elif doc.suffix in (".html", ".htm") or _looks_like_html(head):
        doc.pages = [clean_text(html_to_text(decode_bytes(path.read_bytes())))]
    else:
        doc.pages = [clean_text(decode_bytes(path.read_bytes()))]
    if not doc.errors and not doc.text.strip():
        doc.errors.append(f"{path}: no text found")
    return doc


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


# byte-order marks, the longer first: UTF-32 LE's begins with UTF-16 LE's
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# enough text for charset-normalizer to tell UTF-16 from UTF-32 and their byte orders
_SAMPLE_BYTES = 1 << 16
# the five bytes Windows-1252 leaves undefined
_NOT_CP1252 = re.compile(b"[\\x81\\x8d\\x8f\\x90\\x9d]")


class UndecodableText(ValueError):
    """Bytes that are not text in any encoding tried."""


def text_encoding(blocks: Iterable[bytes]) -> str:
    """The encoding of text given as successive blocks of bytes (a file read piece by piece).

    A byte-order mark names it. Without one, text with NUL bytes is UTF-16 or UTF-32 written
    without a mark, which charset-normalizer tells apart; other text is UTF-8 if it decodes as
    UTF-8, else Windows-1252 (what spreadsheet exports on Windows write). Raises UndecodableText.
    """
    blocks = iter(blocks)
    first = next(blocks, b"")
    for bom, encoding in _BOMS:
        if first.startswith(bom):
            return encoding
    if b"\x00" in first[:_SAMPLE_BYTES]:
        from charset_normalizer import from_bytes

        guess = from_bytes(first[:_SAMPLE_BYTES], cp_isolation=["utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be"]).best()
        if guess is None:
            raise UndecodableText("NUL bytes, and not UTF-16 or UTF-32 text: a binary file")
        return guess.encoding
    utf8 = codecs.getincrementaldecoder("utf-8")()
    is_utf8, is_cp1252 = True, True
    for block in itertools.chain([first], blocks):
        if is_utf8:
            try:
                utf8.decode(block)
            except UnicodeDecodeError:
                is_utf8 = False
        is_cp1252 = is_cp1252 and not _NOT_CP1252.search(block)
        if not (is_utf8 or is_cp1252):
            break
    if is_utf8:
        try:
            utf8.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
    if is_cp1252:
        return "cp1252"
    raise UndecodableText("neither UTF-8 nor Windows-1252 text")


def file_encoding(path: Path, block: int = 1 << 20) -> str:
    """:func:`text_encoding` of a file, read a block at a time (memory stays small for any size)."""
    with open(path, "rb") as handle:
        return text_encoding(iter(lambda: handle.read(block), b""))


def decode_bytes(raw: bytes) -> str:
    """Decode text whose encoding is not declared (see :func:`text_encoding`); Latin-1 when nothing fits."""
    try:
        return raw.decode(text_encoding([raw]))
    except (UndecodableText, UnicodeDecodeError):
        return raw.decode("latin-1")


def _read_pdf(path: Path, head: bytes, doc: Document) -> None:
    if not head.startswith(b"%PDF"):
        kind = "an HTML page" if _looks_like_html(head) else "not a PDF"
        doc.errors.append(f"{path}: not a PDF (the file is {kind} with a .pdf name)")
        return
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            doc.errors.append(f"{path}: encrypted PDF (a password is needed to read it)")
        else:
            doc.errors.append(f"{path}: corrupt or truncated PDF ({message})")
        return
    try:
        raw_pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            raw_pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    except pdfium.PdfiumError as exc:
        doc.errors.append(f"{path}: corrupt PDF, page {len(raw_pages) + 1} unreadable ({exc})")
        return
    finally:
        doc.page_count = len(pdf)
        pdf.close()
    if raw_pages and not any(p.strip() for p in raw_pages):
        doc.errors.append(f"{path}: PDF has no text layer (scanned or image-only; OCR is not attempted)")
        return
    doc.pages = strip_page_furniture([_normalise_pdf_page(p) for p in raw_pages])


def _normalise_pdf_page(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    # a hyphen pdfium marked at a line end: keep it, join the word's two halves
    text = re.sub(rf"[{_SOFT_HYPHENS}]\s*\n\s*", "-", text)
    text = re.sub(rf"[{_SOFT_HYPHENS}]", "-", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def strip_page_furniture(pages: list[str]) -> list[str]:
    """Remove running headers/footers (lines repeated on most pages, allowing for page numbers) and page numbers."""
    if len(pages) < 3:
        return [_drop_page_numbers(p) for p in pages]

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", " ".join(line.split())).lower()

    counts: Counter[str] = Counter()
    for page in pages:
        lines = [l for l in page.split("\n") if l.strip()]
        edge = lines[:3] + lines[-3:]
        counts.update({key(l) for l in edge})
    threshold = max(3, int(len(pages) * 0.5))
    furniture = {k for k, n in counts.items() if n >= threshold and len(k) > 1}
    cleaned = []
    for page in pages:
        lines = page.split("\n")
        nonblank = [i for i, l in enumerate(lines) if l.strip()]
        edge_idx = set(nonblank[:3] + nonblank[-3:])
        kept = [l for i, l in enumerate(lines) if not (i in edge_idx and key(l) in furniture)]
        cleaned.append(_drop_page_numbers("\n".join(kept)))
    return cleaned


def _drop_page_numbers(page: str) -> str:
    lines = page.split("\n")
    nonblank = [i for i, l in enumerate(lines) if l.strip()]
    drop = {i for i in nonblank[:1] + nonblank[-1:] if _PAGE_NUMBER.match(lines[i])}
    return "\n".join(l for i, l in enumerate(lines) if i not in drop).strip("\n")


def clean_text(text: str) -> str:
    """Normalise line endings, non-breaking spaces and runs of blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


class _TextExtractor(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "table", "ul", "ol", "title", "td", "th"}
    _SKIP = {"script", "style", "noscript", "template", "svg"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n" if tag not in ("td", "th") else "\t")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, one block element per line."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def unreadable(path: Path, exc: OSError) -> str:
    """Why ``path`` cannot be read, in words (for a summary line that names the file)."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop: the link leads back to itself"
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return "symbolic link to nothing (its target is missing)"
    if exc.errno == errno.ENAMETOOLONG:
        return "path too long to open"
    return f"cannot read ({exc.strerror or type(exc).__name__})"


def walk_files(folder: Path, problem: Callable[[Path, str], None], loop: Callable[[Path], None] | None = None,
               hidden: bool = False) -> Iterator[Path]:
    """Everything under ``folder`` that is not a folder, following symbolic links to folders once each.

    Walked with a list of folders to visit, not recursion, so any depth is walked. A folder that
    cannot be read is given to ``problem`` with the reason; a link back to a folder already
    visited, to ``loop``. Names starting with a dot are left out unless ``hidden``.
    """
    pending = [Path(folder)]
    visited: set[tuple[int, int]] = set()
    while pending:
        current = pending.pop()
        try:
            info = os.stat(current)
            if (info.st_dev, info.st_ino) in visited:
                if loop is not None and os.path.islink(current):
                    loop(current)
                continue
            visited.add((info.st_dev, info.st_ino))
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            problem(current, "folder not read: " + unreadable(current, exc))
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith(".") and not hidden:
                continue
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                folders.append(Path(entry.path))
            else:
                yield Path(entry.path)
        pending.extend(reversed(folders))


def iter_document_paths(paths: list[str | Path], problem: Callable[[Path, str], None]) -> list[Path]:
    """Expand folders into the supported documents under them (sorted, each file once, symbolic link
    loops ignored); folders that cannot be read go to ``problem`` with the reason."""
    found: list[Path] = []
    for item in paths:
        item = Path(item)
        if item.is_dir():
            seen: set[str] = set()
            for candidate in sorted(walk_files(item, problem, hidden=True)):
                real = os.path.realpath(candidate)
                if candidate.suffix.lower() in SUPPORTED_SUFFIXES and real not in seen:
                    seen.add(real)
                    found.append(candidate)
        else:
            found.append(item)
    return found
