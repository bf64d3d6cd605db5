"""Tables that text formats print with markup, turned into the tab-separated rows of a Word dump.

Markdown and plain text made from a plan's DOCX (pandoc, docling, chat assistants,
``kehoach text -f md``) print its appendix table in one of five ways:

* a **pipe table**: "| a | b |" rows under a "|---|---|" delimiter row, one row per line;
* a **grid table** (pandoc's Markdown and plain text whenever a cell holds more than a line of
  text: paragraphs, lists; reStructuredText): "+----+-----+" rulings, "+====+" under the header,
  every cell's text wrapped inside its column over as many lines as the row needs, a blank line
  between a cell's paragraphs; a merged cell where a ruling or a bar stops;
* a **multiline table** (pandoc, cells of inline text): a line of dashes over the header, the
  columns marked by runs of dashes under it, rows parted by blank lines, each cell wrapped inside
  its run's columns;
* a **simple table** (pandoc, one line per cell): the header, the runs of dashes, a row per line;
* an **HTML table** (pandoc's GitHub-flavoured and strict Markdown keep a table with merged
  cells as raw ``<table>`` markup, ``rowspan`` and ``colspan`` included).

Every such table becomes what the tab reader (:mod:`extractors.appendix.tab`) reads: one line
per table row, its cells parted by tabs, on the line where the row starts; the table's other
lines become empty, so every line keeps its number (provenance).  A cell's wrapped lines are
joined with a space, but where pandoc broke a word longer than its column ("Trước" / "3" /
"0/6/2025" in a column 8 wide: the "3" would have fitted on the line above, so it opens a broken
word) the pieces are joined whole.  Markdown's escapes ("\\-", "II\\."), emphasis ("**TT**")
and pandoc's typographic dashes ("--" for "–", "---" for "—") are undone in the cells.  A
merged cell's text stands in every row it covers (the rows share it) and in the first column it
covers (the tab reader takes a two-level header's top cell followed by empty cells); a row that
is one cell across the table (a group row "II. Cải cách tổ chức bộ máy") is its text without tabs.

Pure: lines in, as many lines out.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from html.parser import HTMLParser

__all__ = ["markup_tables_as_tabs", "pipe_tables_as_tabs", "grid_tables_as_tabs", "dash_tables_as_tabs",
           "html_tables_as_tabs", "unescape_markdown"]


def markup_tables_as_tabs(raw_lines: list[str]) -> list[str]:
    """Every HTML, grid, multiline, simple and pipe table of the lines as tab rows (one line
    per row, on its first line; the table's other lines empty)."""
    text = "\n".join(raw_lines)
    out = list(raw_lines)
    if "<t" in text.lower():
        out = html_tables_as_tabs(out)
    if "+-" in text:
        out = grid_tables_as_tabs(out)
    if "---" in text:
        out = dash_tables_as_tabs(out)
    if "|" in text:
        out = pipe_tables_as_tabs(out)
    return out


# --- cell text ------------------------------------------------------------------------------------

_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~^$\"'@=&%;:,/ ])")
_EM_DASH = re.compile(r"(?<![\\-])---(?!-)")
_EN_DASH = re.compile(r"(?<![\\-])--(?!-)")
_STAR_EMPHASIS = re.compile(r"(?<![\\*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])")
_STRONG = re.compile(r"(?<!\\)(\*\*|__)")
_TAG = re.compile(r"<\s*/?\s*(?:br|p|strong|em|b|i|u|span|sup|sub)\b[^>]*>", re.I)


def unescape_markdown(text: str) -> str:
    """Cell text with Markdown's markup undone: "**TT**" -> "TT", "\\- Đăng tải" -> "- Đăng
    tải", "II\\." -> "II.", "chính -- Xây dựng" -> "chính – Xây dựng" (pandoc's smart dashes),
    "<br>" -> " "."""
    text = _TAG.sub(" ", text)
    text = _EM_DASH.sub("—", text)
    text = _EN_DASH.sub("–", text)
    text = _STRONG.sub("", text)
    text = _STAR_EMPHASIS.sub(r"\1", text)
    text = _ESCAPED.sub(r"\1", text)
    return " ".join(text.split())


#: columns at most this wide break every word into pieces (pandoc's "T" / "T" for "TT")
NARROW = 2
_MARKUP = "*_\\`"
_NUMERIC_END = re.compile(r"[\d/.\-]$")
_NUMERIC_START = re.compile(r"^[\d/.\-]")
_DIGIT = re.compile(r"\d")
#: characters no word opens with ("I" / "/2025") and ones that end a word ("ban," / "ngành,")
_NO_WORD_START = "/,;:.)%"
_WORD_END = ",;:!?)"
_PUNCT = ".,;:!?()[]\"'“”–—-"
#: a hyphen inside a name ("HĐND-" / "UBND", "HĐND" / "-UBND"; a list's dash stands apart: "- Đăng")
_HYPHENATED = re.compile(r"\w- \w|\w -\w")
_ENDS_HYPHEN = re.compile(r"\w-$")
_ROMAN = re.compile(r"^[IVXL]{2,6}(?![^\W\d_])")


def _glued(prev: str, cur: str, width: int) -> bool:
    """Whether the printed line ``cur`` of a cell goes on the word the text ``prev`` ends with: the
    piece of a word longer than its column that the table writer broke ("3" / "0/6/2025",
    "h" / "iện**", "Ki" / "nh" in a column 2 wide).  Only a line that is one piece as wide as
    the column (any line of a column :data:`NARROW` wide but a shorter one: the writer breaks a
    word into a first piece and pieces as wide as the column) may be such a piece; it is one where
    either side is markup only ("*" / "*Tiến"), the piece opens as no word does ("I" / "/2025"),
    the two spell a Roman numeral ("I" / "I") or, no word ended by a comma before, a word the
    syllable language model finds likelier than the two apart ("h" / "iện", "U" / "BMTTQ",
    "HĐN" / "D-U"; not "Sản" / "phẩm").  Digits meeting ("15" / "/12/2025", "II/" / "2024"),
    a slash ("61/2018/" / "NĐ-CP") and a hyphen inside a name ("HĐND-" / "UBND") join whatever
    the piece's width: the writer breaks a date, a reference or a hyphenated name anywhere."""
    a = prev.split()[-1].strip(_MARKUP) if prev.split() else ""
    b = cur.split()[0].strip(_MARKUP) if cur.split() else ""
    if " " not in cur and a and b and (_NUMERIC_END.search(a) and _NUMERIC_START.match(b) and _DIGIT.search(a)
                                       or a[-1] == "/" or b[0] in _NO_WORD_START
                                       or _HYPHENATED.search(a + " " + b)):
        return True
    if width > NARROW and (" " in cur or len(cur) != width):
        return False
    if len(cur) < width and cur.strip(_MARKUP):
        return False  # a word's first piece (the writer fills every later piece)
    if not a or not b:
        return True
    if _ROMAN.match(a + b):
        return True
    if a[-1] in _WORD_END:
        return False  # "ban," / "ngành,": a word ended
    return _word_logp(a + b) > _word_logp(a) + _word_logp(b)


def _paragraph(lines: list[str], width: int) -> str:
    if width <= NARROW:
        return _narrow_paragraph(lines, width)
    out = ""
    for k, line in enumerate(lines):
        if k == 0:
            out = line
        elif _glued(out, line, width):
            out += line
        else:
            out += " " + line
    return out


#: pieces of a column :data:`NARROW` wide one word may run over
MAX_WORD_PIECES = 12
#: log-probability of a word the language model never saw (and per letter: a long one is many
#: words run together), and of a number or Roman numeral
UNSEEN_LOGP = -10.0
UNSEEN_CHAR_LOGP = -6.0
NUMBER_LOGP = -9.0
#: ... and of markup alone ("**"), which goes with the word it marks
MARKUP_LOGP = -1.0
#: ... and the cost of a word ending on a hyphen (the first half of a hyphenated name)
HYPHEN_END_LOGP = -2.0
_STRIP_MARKUP = str.maketrans("", "", _MARKUP)


def _narrow_paragraph(pieces: list[str], width: int) -> str:
    """A paragraph of a column one or two characters wide, where the writer broke every word
    into pieces and kept no space: the pieces joined into the words the syllable language
    model finds likeliest ("G" "h" "i" "c" "h" "ú" -> "Ghi chú"); a piece shorter than the
    column opens a word (the writer fills every piece after a word's first)."""
    n = len(pieces)
    opens = [k == 0 or (len(p) < width and bool(p.strip(_MARKUP))) for k, p in enumerate(pieces)]
    best: list[tuple[float, int]] = [(0.0, 0)] + [(-math.inf, 0)] * n
    for j in range(1, n + 1):
        for i in range(j - 1, max(-1, j - 1 - MAX_WORD_PIECES), -1):
            if best[i][0] > -math.inf:
                score = best[i][0] + _word_logp("".join(pieces[i:j]))
                if score > best[j][0]:
                    best[j] = (score, i)
            if opens[i]:
                break  # a word does not run back over the first piece of another
    words: list[str] = []
    j = n
    while j > 0:
        i = best[j][1]
        words.append("".join(pieces[i:j]))
        j = i
    out = ""
    for word in reversed(words):
        # a hyphenated name is two words to the model ("HĐND-" "UBND", "HĐND" "-" "UBND"), one in
        # the text; a list's dash opens its paragraph, a spaced dash is "--" ("–")
        glued = out and (_ENDS_HYPHEN.search(out) and word[:1].isalnum() or out[-1] == "/"
                         or word[0] in _NO_WORD_START or word == "-" and out[-1].isalnum())
        out += word if not out or glued else " " + word
    return out


def _word_logp(word: str) -> float:
    """Log-probability of ``word`` (a cell's word, markup and end punctuation aside) as the
    syllable language model's unigram; numbers, markup and dashes get fixed scores, words opening
    or ending on a dash a word's worth of letters unseen."""
    core = word.translate(_STRIP_MARKUP)
    if not core:
        return MARKUP_LOGP
    if _NUMERIC_WORD.match(core.rstrip(",;:.")) or _ROMAN_WORD.match(core):
        return NUMBER_LOGP
    bare = core.rstrip(_TRAILING).lstrip("(\"'“")
    if core in _DASHES or not bare:
        return MARKUP_LOGP  # a list's dash, a spaced dash ("--": "–"), punctuation alone
    if core.endswith("--") or bare[0] in _PUNCT:  # no word ends with a dash or opens with one ("-Kế")
        return UNSEEN_LOGP + UNSEEN_CHAR_LOGP * len(core if core.endswith("--") else bare)
    extra = HYPHEN_END_LOGP if core.endswith("-") else 0.0  # "HĐND-" of "HĐND-UBND", not "pháp-" "-"
    core = bare
    model, total = _unigrams()
    i = model.word_id.get(core.lower())
    if i is None or not model.counts[i]:
        return UNSEEN_LOGP + UNSEEN_CHAR_LOGP * len(core) + extra
    return math.log(model.counts[i] / total) + extra


#: a number, a date or a reference ("12", "30/6/2025", "II/2024", "61/2018/"); punctuation a word
#: may end with (not a spaced dash: "pháp –")
_NUMERIC_WORD = re.compile(r"^(?:[IVXL]{1,6}/)?\d[\d/.,:\-]*$")
_TRAILING = ".,;:!?()[]\"'“”-"
_DASHES = frozenset({"-", "--", "---", "–", "—", "+"})
_ROMAN_WORD = re.compile(r"^[IVXL]{1,6}\.?$")


@functools.lru_cache(maxsize=1)
def _unigrams():
    from normalizers import diacritics

    model = diacritics.load_model()
    return model, float(model.counts.sum())


def cell_text(segments: list[str], width: int) -> str:
    """A cell's text from its lines (the column's slice of each printed line): paragraphs
    (parted by blank lines) joined with a space, each paragraph's wrapped lines joined so
    (:func:`_glued`), markup undone."""
    paragraphs: list[list[str]] = [[]]
    for seg in segments:
        seg = seg.strip()
        if seg:
            paragraphs[-1].append(seg)
        elif paragraphs[-1]:
            paragraphs.append([])
    return unescape_markdown(" ".join(_paragraph(p, width) for p in paragraphs if p))


def _row_line(cells: list[str], across: bool = False) -> str:
    """A table row as a tab line; a row that is one cell across the table (``across``: a group
    row, "II. Cải cách tổ chức bộ máy") is its text alone."""
    return " ".join(c for c in cells if c) if across else "\t".join(cells)


# --- pipe tables ------------------------------------------------------------------------------

#: a Markdown pipe-table row ("| a | b |") and the delimiter row under its header ("|---|:--:|")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*([|+]\s*:?-{3,}:?\s*)*\|?\s*$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def pipe_tables_as_tabs(raw_lines: list[str]) -> list[str]:
    """The lines with every Markdown pipe table (a header row, its delimiter row, body rows:
    what pandoc, docling, ``kehoach text -f md`` and chat assistants write; Emacs Org tables,
    whose delimiter row joins its dashes with "+") as the tab-separated
    rows of a Word dump, one row per line: cells parted by tabs, a ``<br>`` inside a cell a
    space, ``\\|`` a pipe; the delimiter row an empty line (lines keep their numbers)."""
    out = list(raw_lines)
    i = 0
    while i + 1 < len(out):
        if not (_PIPE_ROW.match(out[i]) and _PIPE_DELIMITER.match(out[i + 1]) and "|" in out[i + 1]):
            i += 1
            continue
        j = i + 2
        while j < len(out) and _PIPE_ROW.match(out[j]):
            j += 1
        for k in range(i, j):
            if k == i + 1:
                out[k] = ""
                continue
            cells = _UNESCAPED_PIPE.split(out[k].strip())[1:-1]
            out[k] = "\t".join(unescape_markdown(c) for c in cells)
        i = j
    return out


# --- grid tables ------------------------------------------------------------------------------

_GRID_RULE = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_RULE_CHARS = frozenset("-=:")


def grid_tables_as_tabs(raw_lines: list[str]) -> list[str]:
    """The lines with every grid table ("+---+" rulings, "|" bars) as tab rows."""
    return _tables_as_tabs(raw_lines, _GRID_RULE, _grid_at)


def _tables_as_tabs(raw_lines: list[str], start: re.Pattern, read) -> list[str]:
    """The lines with every table that ``read(lines, i)`` finds at a line ``i`` matching
    ``start`` -- (first line, end, [(line, cells, one cell across)]), or None -- as tab rows,
    the table's other lines empty."""
    out = list(raw_lines)
    i = 0
    while i < len(out):
        got = read(out, i) if start.match(out[i]) else None
        if got is None:
            i += 1
            continue
        first, end, rows = got
        for k in range(first, end):
            out[k] = ""
        for line, cells, across in rows:
            out[line] = _row_line(cells, across)
        i = end
    return out


def _grid_at(out: list[str], i: int):
    """The grid table whose top ruling is line ``i`` (:func:`_tables_as_tabs`)."""
    lines = [unicodedata.normalize("NFC", t.rstrip()) for t in out[i:]]
    bounds = [k for k, ch in enumerate(lines[0]) if ch == "+"]
    n = _grid_length(lines, bounds)
    rows = _grid_rows(lines[:n], bounds) if n >= 3 else None
    if rows is None:
        return None
    return i, i + n, [(i + offset, cells, across) for offset, cells, across in rows]


def _grid_length(lines: list[str], bounds: list[int]) -> int:
    """Lines of the grid table starting at ``lines[0]`` (its top ruling), up to its last
    ruling."""
    left, right = bounds[0], bounds[-1]
    last_rule = 0
    for k, line in enumerate(lines):
        if len(line) != right + 1 or line[left] not in "+|" or line[right] not in "+|" or line[:left].strip():
            break
        if _GRID_RULE.match(line) or (k and _rule_columns(line, bounds)):
            last_rule = k
    return last_rule + 1


def _segment(line: str, bounds: list[int], c: int) -> str:
    return line[bounds[c] + 1 : bounds[c + 1]]


def _rule_columns(line: str, bounds: list[int]) -> set[int]:
    """Columns whose slice of ``line`` is a ruling ("-----", "=====")."""
    return {c for c in range(len(bounds) - 1)
            if (s := _segment(line, bounds, c)) and set(s) <= _RULE_CHARS}


def _grid_rows(lines: list[str], bounds: list[int]) -> list[tuple[int, list[str], bool]] | None:
    """(line offset of the row's first line, its cells, whether it is one cell across the table)
    of every row of a grid table; a cell
    spanning rows (no ruling under it) gives its text to each of them, one spanning columns (no
    bar between them on the row's lines) to the first of them."""
    ncol = len(bounds) - 1
    rules = [_rule_columns(line, bounds) for line in lines]
    seps = [k for k in range(len(lines)) if rules[k]]
    if seps[0] != 0 or rules[0] != set(range(ncol)) or rules[-1] != set(range(ncol)):
        return None
    # every column's cells: runs of lines between its rulings
    cell_of: list[list[tuple[int, int] | None]] = [[None] * ncol for _ in lines]
    for c in range(ncol):
        start = None
        for k in range(len(lines)):
            if c in rules[k]:
                if start is not None:
                    for q in range(start, k):
                        cell_of[q][c] = (start, k)
                start = k + 1
    out: list[tuple[int, list[str], bool]] = []
    for top, bottom in zip(seps, seps[1:]):
        body = list(range(top + 1, bottom))
        if not body:
            continue
        # columns joined on this row: no bar between them on any of its lines
        groups: list[list[int]] = [[0]]
        for c in range(1, ncol):
            if all(len(lines[k]) > bounds[c] and lines[k][bounds[c]] in "|+" for k in body):
                groups.append([c])
            else:
                groups[-1].append(c)
        cells = [""] * ncol
        for group in groups:
            a, b = group[0], group[-1]
            if len(group) > 1:
                segs = [lines[k][bounds[a] + 1 : bounds[b + 1]] for k in body]
                cells[a] = cell_text(segs, bounds[b + 1] - bounds[a] - 3)
                continue
            span = cell_of[body[0]][a]
            if span is None:
                continue
            segs = [_segment(lines[k], bounds, a) for k in range(*span) if a not in rules[k]]
            cells[a] = cell_text(segs, bounds[a + 1] - bounds[a] - 3)
        out.append((top + 1, cells, len(groups) == 1 and ncol > 1))
    return out


# --- multiline and simple tables (pandoc) -------------------------------------------------------

_DASH_RUNS = re.compile(r"^\s*-{3,}(?:\s+-{3,})+\s*$")
_DASH_LINE = re.compile(r"^\s*-{3,}\s*$")


def dash_tables_as_tabs(raw_lines: list[str]) -> list[str]:
    """The lines with every pandoc multiline table (a line of dashes over the header, the
    columns' runs of dashes under it, rows parted by blank lines, a line of dashes at the end;
    without a header, runs of dashes at both ends) and simple table (header, runs of dashes, a
    row per line, a blank line at the end) of :data:`MIN_DASH_COLUMNS` or more columns as tab
    rows (two runs of dashes are the rules under the two halves of a plan's heading)."""
    return _tables_as_tabs(raw_lines, _DASH_RUNS, _dash_at)


def _dash_at(out: list[str], i: int):
    """The multiline or simple table whose runs of dashes are line ``i`` (:func:`_tables_as_tabs`)."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"-{3,}", out[i])]
    if len(runs) < MIN_DASH_COLUMNS:
        return None
    top = _top_dashes(out, i)
    if top is not None:
        got = _body(out, i + 1, runs, [(top + 1, _cells(out[top + 1 : i], runs))], top)
    elif i == 0 or not out[i - 1].strip():
        got = _body(out, i + 1, runs, [], i)
    else:
        got = _body(out, i + 1, runs, [(i - 1, _cells([out[i - 1]], runs))], i - 1, simple=True)
    if got is None:
        return None
    first, end, rows = got
    return first, end, [(line, cells, False) for line, cells in rows]


#: a table of runs of dashes has at least this many columns (a plan's appendix does)
MIN_DASH_COLUMNS = 3


def _top_dashes(lines: list[str], at: int) -> int | None:
    """The line of dashes over a multiline table's header that ends at ``at`` (the runs)."""
    for k in range(at - 1, max(-1, at - 8), -1):
        if _DASH_LINE.match(lines[k]):
            return k
        if not lines[k].strip():
            return None
    return None


def _slices(line: str, runs: list[tuple[int, int]]) -> list[str]:
    """A printed line cut into the columns: a run's columns and the gap after it (the last
    column to the line's end)."""
    out = []
    for c, (a, _) in enumerate(runs):
        b = runs[c + 1][0] if c + 1 < len(runs) else len(line)
        out.append(line[a:b] if len(line) > a else "")
    return out


def _cells(lines: list[str], runs: list[tuple[int, int]]) -> list[str]:
    parts = [_slices(unicodedata.normalize("NFC", t.rstrip()), runs) for t in lines]
    return [cell_text([p[c] for p in parts], runs[c][1] - runs[c][0]) for c in range(len(runs))]


def _body(lines: list[str], start: int, runs: list[tuple[int, int]], rows: list, first: int,
          simple: bool = False):
    """(first line, end, rows) of a table of runs of dashes whose body starts at ``start``:
    rows parted by blank lines up to a closing line of dashes (multiline), or a row per line
    up to a blank line (``simple``, or no blank line before the closing line); None when it is
    no table."""
    k = start
    blocks: list[list[int]] = [[]]
    while k < len(lines) and not (_DASH_LINE.match(lines[k]) or _DASH_RUNS.match(lines[k])):
        if not lines[k].strip():
            if simple:
                break
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(k)
        k += 1
    blocks = [b for b in blocks if b]
    closed = k < len(lines) and not simple
    if not simple and not closed:
        return None
    if simple or len(blocks) == 1:  # one row per line
        rows = rows + [(q, _cells([lines[q]], runs)) for b in blocks for q in b]
    else:
        rows = rows + [(b[0], _cells([lines[q] for q in b], runs)) for b in blocks]
    if len(rows) < 2:
        return None
    end = k + 1 if k < len(lines) and (_DASH_LINE.match(lines[k]) or _DASH_RUNS.match(lines[k])) else k
    return first, end, rows


# --- HTML tables ------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset({"p", "br", "li", "div", "ul", "ol", "tr"})


class _TableParser(HTMLParser):
    """The outermost tables of a text: per table, its rows as (line of the ``<tr>``, [(text,
    rowspan, colspan)]) and the lines it covers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.depth = 0
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        line = self.getpos()[0]
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.tables.append({"start": line, "end": line, "rows": []})
            return
        if self.depth != 1:
            if self.cell is not None and tag in _BLOCK_TAGS:
                self.cell.append(" ")
            return
        table = self.tables[-1]
        if tag == "tr":
            table["rows"].append((line, []))
        elif tag in ("td", "th"):
            if not table["rows"]:
                table["rows"].append((line, []))
            a = dict(attrs)
            self.cell = []
            table["rows"][-1][1].append([self.cell, _span(a.get("rowspan")), _span(a.get("colspan"))])
        elif self.cell is not None and tag in _BLOCK_TAGS:
            self.cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            if self.depth == 1:
                self.tables[-1]["end"] = self.getpos()[0]
                self.cell = None
            self.depth = max(0, self.depth - 1)
        elif self.depth == 1 and tag in ("td", "th"):
            self.cell = None
        elif self.cell is not None and tag in _BLOCK_TAGS:
            self.cell.append(" ")

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def html_tables_as_tabs(raw_lines: list[str]) -> list[str]:
    """The lines with every HTML table as tab rows: a row on the line of its ``<tr>`` (the
    next free line of the table where rows share one), the table's other lines empty."""
    parser = _TableParser()
    try:
        parser.feed("\n".join(raw_lines))
        parser.close()
    except Exception:  # noqa: BLE001 - markup too broken to read: the lines stay as they are
        return list(raw_lines)
    out = list(raw_lines)
    for table in parser.tables:
        if not table["rows"]:
            continue
        first, last = table["start"] - 1, table["end"] - 1
        grid = _html_grid([cells for _, cells in table["rows"]])
        places: list[int] = []
        for line, _ in table["rows"]:
            at = max(line - 1, places[-1] + 1 if places else first)
            places.append(at)
        if places[-1] > last:
            continue  # more rows than lines: left as printed
        for k in range(first, last + 1):
            out[k] = ""
        for at, (cells, across) in zip(places, grid):
            out[at] = _row_line(cells, across)
    return out


def _html_grid(rows: list[list[list]]) -> list[tuple[list[str], bool]]:
    """The table's rows as (cells per column, whether the row is one cell across the table): a
    cell spanning rows in each row it covers, one spanning columns in the first of them."""
    taken: dict[tuple[int, int], str] = {}
    grid: list[list[str]] = []
    width = 0
    for r, cells in enumerate(rows):
        row: dict[int, str] = {}
        c = 0
        for parts, rowspan, colspan in cells:
            while (r, c) in taken:
                c += 1
            text = unescape_markdown("".join(parts))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = text if dc == 0 else ""
            c += colspan
        for (rr, cc), text in taken.items():
            if rr == r:
                row[cc] = text
        width = max(width, max(row, default=-1) + 1)
        grid.append([row.get(k, "") for k in range(max(row, default=-1) + 1)])
    return [(g + [""] * (width - len(g)), width > 1 and len(cells) == 1 and cells[0][2] >= width)
            for g, cells in zip(grid, rows)]
