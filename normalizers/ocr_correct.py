"""Post-OCR correction of Vietnamese-model (``tesseract -l vie``) words.

tesseract's Vietnamese model reads the letters of a scan well but loses or confuses the
marks: "nô" for "nổ", "quyên" for "quyền", "Thâm" for "Thẩm", "đê" for "đề", capitals inside
a word ("CÔng"), and now and then a letter.  For each line of OCR words:

1. case: accented capitals inside a capitalised syllable are lowered ("CÔng" -> "Công"), and
   an accented one-syllable word in capitals between words that are not ("các CƠ quan") takes
   the case of its place (lower, or a capital after a sentence end); all-caps headings stay all
   caps and only their marks are in doubt; acronyms ("VT", "IP") are left alone, and so is a
   capital starting a small word mid-sentence ("theo Khoản 2": names look the same);
2. candidates: the observed word and the syllables of the LM vocabulary of the same length
   that the learned channel can turn into it -- the same letters up to tone, vowel marks
   (circumflex, breve, horn), đ/d, or one of the learned letter confusions;
3. scores: a syllable 4-gram LM (:mod:`normalizers.diacritics`, the model of the ASCII repair)
   over the line (lines continuing a sentence are decoded together), plus the channel: keeping
   the word costs ``log P(right | confidence)``, calibrated on generated scans (a word read with
   high confidence needs much stronger LM evidence to change), changing it
   ``log P(wrong | confidence) + log P(observed | source, misread)``, where the last factor is
   the product over the letters of learned letter-shape and tone confusion rates.  An attested
   syllable read with a confidence above :data:`SURE_FROM` pays up to :data:`CHANGE_PENALTY`
   more to change (the full amount for a word with marks inside a run of capitalised words,
   most likely a name); a word with marks that is no syllable ("củâ") pays
   :data:`NON_WORD_PENALTY` to stay;
4. readings: where the in-process engine gave them, the letters tesseract's LSTM weighed for
   each symbol (``lstm_choice_mode``; :attr:`extractors.layout.Word.alternatives`) are a prior
   of their own: a letter it nearly read instead proposes its word as a candidate
   (:meth:`VieChannel.read_candidates`, "điểm" where "điển" was read and "m" came close), counts
   for the change in proportion to how close it came (:func:`reading_evidence`), and lifts as
   much of the protection of a confidently read word (:data:`READING_WAIVE`); a letter it never
   weighed changes nothing against the correction without readings.
5. the page: where the decoding changed the marks of :data:`DOUBT_FROM` of a page's words or
   more, OCR misread that page's marks often and its confidence vouches less for them; the page
   is decoded again with the protection of confident words and the re-marking margin lowered
   (:data:`DOUBT_PENALTY`, :data:`DOUBT_REMARK_MARGIN`).

Words with digits or inner punctuation (numbers, dates, codes such as "61/2018/NĐ-CP") are
never touched, nor is punctuation around a word but for a period OCR read for a comma between
two words of one sentence ("Tổng hợp. báo cáo": :func:`_commas`).  The channel
(``normalizers/data/vie_channel.json.gz``) is learned by ``scripts/make_vie_pairs.py learn``
from degraded pages of training documents (``make vie-channel``); the weights above were
chosen on those training pages and on development documents (md5 % 50 == 1).  Words keep
their boxes and confidences; a word that needs nothing comes back as the same object.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import re
import unicodedata
from typing import Sequence

from . import diacritics as D
from .encodings import is_valid_syllable, toneless_stop
from .text import new_tone_place

CHANNEL_FILE = "vie_channel.json.gz"
#: weight of the channel score (keep / change) against the LM; tuned on training pages
CHANNEL_WEIGHT = 1.0
#: a change of an attested syllable read with full confidence must beat keeping it by this many
#: nats more (from :data:`SURE_FROM` up, in proportion), so that correct text stays as it is
CHANGE_PENALTY = 9.0
#: the confidence from which the penalty starts
SURE_FROM = 0.85
#: keeping a word with Vietnamese marks that is no attested syllable ("củâ") costs this much
#: more (the LM scores unknown words as merely rare)
NON_WORD_PENALTY = 8.0
#: at most this many candidates per word besides the observed one
MAX_CANDIDATES = 8
#: vocabulary syllables seen fewer times are no candidates
MIN_COUNT = 3
#: a run of lines is decoded in pieces of about this many words
MAX_SEGMENT_WORDS = 200
#: confidence used when a word has none
DEFAULT_CONFIDENCE = 0.9
#: weight of the readings tesseract weighed (``lstm_choice_mode``): per letter a candidate
#: changes, log(confidence in the candidate's letter / in the letter read, floored at
#: :data:`READING_FLOOR`, over :data:`READING_REF`) -- a letter tesseract nearly read counts for
#: the change, one it never considered (floor = reference) counts for nothing.  Chosen on
#: generated scans of training documents (``scripts/make_vie_pairs.py``, seeds apart from the
#: channel's)
READING_WEIGHT = 1.0
READING_FLOOR = 0.1
READING_REF = 0.1
#: share of the protection of a confidently read word (:data:`CHANGE_PENALTY`) a change loses
#: when OCR weighed its letters nearly as much as those read (in proportion to the least ratio)
READING_WAIVE = 1.0
#: a reading of a letter proposes its word as a candidate from this share of the confidence of
#: the letter read
PROPOSE_RATIO = 0.3
#: two letters weighed close propose their word together ("trêp" read, "i" and "ế" close:
#: "tiếp"; training pages 95.34% -> 95.39%)
PROPOSE_PAIRS = True
#: a page (one call of :func:`correct_lines`, of :data:`DOUBT_MIN_WORDS` words or more) on which
#: the decoding changed the marks of at least this share of the words is one whose marks OCR
#: misread often (a coarse or broken scan, a face whose stacked marks the scan breaks): there
#: tesseract's confidence vouches less for a word's marks, and the page is decoded again with
#: the protection of confidently read words at :data:`DOUBT_PENALTY` of :data:`CHANGE_PENALTY`
#: and the re-marking margin at :data:`DOUBT_REMARK_MARGIN` nats.  Chosen on 40 generated scans
#: of training documents (94.09% -> 94.18% of syllables; flat over 0.02-0.04, 0.2-0.5, 4-5 nats)
DOUBT_FROM = 0.03
DOUBT_MIN_WORDS = 30
DOUBT_PENALTY = 0.2
DOUBT_REMARK_MARGIN = 5.0
_LEAD = "\"'“‘([{«"
_TRAIL = "\"'”’)]}».,;:!?…"
_ROMAN = frozenset("IVXLCDM")


def group_lines(words: Sequence) -> list[list[int]]:
    """Indices of ``words`` (objects with ``x0``, ``top``, ``bottom``, in reading order as
    tesseract gives them) grouped into text lines: a word starts a new line when it lies
    left of the previous one or does not share half its height with it."""
    lines: list[list[int]] = []
    prev = None
    for i, w in enumerate(words):
        if prev is not None:
            overlap = min(prev.bottom, w.bottom) - max(prev.top, w.top)
            height = min(prev.bottom - prev.top, w.bottom - w.top)
            if w.x0 >= prev.x0 and overlap >= 0.5 * max(height, 1e-6):
                lines[-1].append(i)
                prev = w
                continue
        lines.append([i])
        prev = w
    return lines


# --------------------------------------------------------------------------------------
# letters: shape and tone
# --------------------------------------------------------------------------------------

_TONED = D.VOWELS_TONED
_SHAPE: dict[str, tuple[str, int]] = {}
for _i, _ch in enumerate(_TONED):
    _SHAPE[_ch] = (_TONED[_i - _i % 6], _i % 6)
_COMPOSE = {(b, t): ch for ch, (b, t) in _SHAPE.items()}


def split_letter(ch: str) -> tuple[str, int]:
    """A lower-case letter as (shape, tone): "ổ" -> ("ô", 3); consonants have tone 0."""
    return _SHAPE.get(ch, (ch, 0))


def join_letter(shape: str, tone: int) -> str | None:
    """The letter of ``shape`` with ``tone`` (None when that shape takes no tone)."""
    if tone == 0:
        return shape
    return _COMPOSE.get((shape, tone))


def _reading_conf(readings, letter: str) -> float:
    """tesseract's confidence in ``letter`` (lower case) among one symbol's ``readings``; 0 when
    it did not weigh it."""
    return max((c for t, c in readings if t.lower() == letter), default=0.0)


def reading_evidence(low: str, cand: str, readings) -> tuple[float, float]:
    """What the readings OCR weighed say of ``cand`` (lower case, as long as ``low``, the word
    read): the sum over the letters it changes of log(confidence in its letter / in the letter
    read), floored at :data:`READING_FLOOR`, against :data:`READING_REF`; and the least of
    those ratios.  (0, 0) without readings."""
    if not readings or len(cand) != len(low):
        return 0.0, 0.0
    total, least = 0.0, 1.0
    for a, b, alts in zip(cand, low, readings):
        if a != b:
            best = _reading_conf(alts, b) or max((c for _t, c in alts), default=0.0)
            ratio = min(1.0, _reading_conf(alts, a) / best) if best > 0 else 0.0
            total += math.log(max(ratio, READING_FLOOR) / READING_REF)
            least = min(least, ratio)
    return total, least


def _core_readings(text: str, core: str, readings) -> tuple | None:
    """The readings of the letters of ``core`` (a word's letters, punctuation around them
    stripped, maybe recased) out of those of ``text`` (the word as read), when they align."""
    if not readings or len(readings) != len(text):
        return None
    at = text.lower().find(core.lower())
    return tuple(readings[at:at + len(core)]) if at >= 0 and core else None


# --------------------------------------------------------------------------------------
# the channel
# --------------------------------------------------------------------------------------


class VieChannel:
    """Learned letter confusions of tesseract's Vietnamese model and the calibration of its
    word confidence, with the candidate generator over the LM vocabulary."""

    def __init__(self, data: dict, model: D.NgramModel):
        self.model = model
        self.shape_logp = self._table(data["shape"], 0.2)
        self.tone_logp = self._table({str(k): v for k, v in data["tone"].items()}, 0.2)
        # observed shape -> source shapes that produce it (letter confusions, marks aside)
        self.sources: dict[str, list[str]] = {}
        for src, outs in data["shape"].items():
            for o, c in outs.items():
                if o != src and c >= data.get("min_confusion", 3) and D.fold(o) != D.fold(src):
                    self.sources.setdefault(o, []).append(src)
        self.edges: list[float] = data["conf_edges"]
        self.keep_known: list[float] = data["keep_known"]
        self.keep_unknown: list[float] = data["keep_unknown"]
        self.by_fold: dict[str, list[int]] = {}
        counts = model.counts
        for i in range(D.N_SPECIAL, len(model.vocab)):
            w = model.vocab[i]
            if counts[i] >= MIN_COUNT and w.isalpha() and is_valid_syllable(w):
                self.by_fold.setdefault(D.fold(w), []).append(i)
        self._cache: dict[tuple[str, bool], tuple[tuple[int, ...], tuple[float, ...]]] = {}

    @staticmethod
    def _table(counts: dict[str, dict[str, int]], alpha: float) -> dict[str, dict[str, float]]:
        out = {}
        for src, outs in counts.items():
            tot = sum(outs.values())
            out[src] = {o: math.log((c + alpha) / (tot + alpha * 4)) for o, c in outs.items()}
            out[src][""] = math.log(alpha / (tot + alpha * 4))  # unseen output
        return out

    def _letter_logp(self, src: str, obs: str) -> float:
        (s, ts), (o, to) = split_letter(src), split_letter(obs)
        st = self.shape_logp.get(s)
        lp = (st.get(o, st[""]) if st else (0.0 if s == o else math.log(1e-4)))
        tt = self.tone_logp.get(str(ts))
        return lp + (tt.get(str(to), tt[""]) if tt else (0.0 if ts == to else math.log(1e-3)))

    def logp(self, obs: str, src: str) -> float:
        """log P(observed word | source word), both lower case, same length."""
        return sum(self._letter_logp(s, o) for s, o in zip(src, obs))

    def misread_logp(self, obs: str, src: str) -> float:
        """log P(observed | source, the source misread): P(obs | src) / (1 - P(src | src))."""
        return self.logp(obs, src) - math.log(max(1e-9, 1.0 - math.exp(self.logp(src, src))))

    def read_candidates(self, low: str, readings) -> tuple[int, ...]:
        """Vocabulary ids of the words that the readings OCR weighed spell (one letter of
        ``low`` replaced by a reading of it, tesseract's confidence in it at least
        :data:`PROPOSE_RATIO` of the letter's read, or two such letters: :data:`PROPOSE_PAIRS`):
        "điểm" where "điển" was read and "m" came close.  ``readings``: per letter of ``low``,
        ((letter, confidence), ...)."""
        close: list[list[str]] = []  # per letter: the letters weighed close to it
        for ch, alts in zip(low, readings):
            best = _reading_conf(alts, ch)
            close.append([t for t, c in ((t.lower(), c) for t, c in alts)
                          if len(t) == 1 and t != ch and best > 0 and c >= PROPOSE_RATIO * best])
        spellings = [low[:k] + t + low[k + 1:] for k, ts in enumerate(close) for t in ts]
        if PROPOSE_PAIRS:
            spots = [k for k, ts in enumerate(close) if ts]
            spellings.extend(low[:a] + x + low[a + 1:b] + y + low[b + 1:]
                             for a, b in itertools.combinations(spots, 2) for x in close[a] for y in close[b])
        out = []
        for w in spellings:
            i = self.model.word_id.get(w)
            if i is not None and i in self.by_fold.get(D.fold(w), ()):
                out.append(i)
        return tuple(dict.fromkeys(out))

    def keep_prob(self, conf: float, known: bool) -> float:
        """P(the word was read right | tesseract's confidence, attested syllable or not)."""
        k = 0
        while k < len(self.edges) and conf >= self.edges[k]:
            k += 1
        table = self.keep_known if known else self.keep_unknown
        return min(max(table[min(k, len(table) - 1)], 0.02), 0.9995)

    def candidates(self, low: str, letters: bool = True) -> tuple[tuple[int, ...], tuple[float, ...]]:
        """(vocabulary ids, log P(observed | id, misread)) of the words that may have been
        read as ``low`` (lower case), the observed word itself excluded; ``letters=False``:
        only words that differ in their marks."""
        hit = self._cache.get((low, letters))
        if hit is not None:
            return hit
        folds = {D.fold(low)}
        for k, ch in enumerate(low if letters else ""):
            shape, tone = split_letter(ch)
            for src in self.sources.get(shape, ()):
                folds.add(D.fold(low[:k] + src + low[k + 1:]))
        own = self.model.word_id.get(low)
        scored = []
        for f in folds:
            for i in self.by_fold.get(f, ()):
                w = self.model.vocab[i]
                if i == own or len(w) != len(low):
                    continue
                lp = self.misread_logp(low, w)
                scored.append((lp + 0.3 * float(self.model.unigram[i]), lp, i))
        scored.sort(reverse=True)
        top = scored[:MAX_CANDIDATES]
        out = (tuple(i for _s, _lp, i in top), tuple(lp for _s, lp, _i in top))
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[(low, letters)] = out
        return out


@functools.lru_cache(maxsize=1)
def load_channel() -> VieChannel | None:
    """The committed channel and the LM, loaded once; None when the artifact is missing."""
    data = D.load_json_artifact(CHANNEL_FILE)
    return None if data is None else VieChannel(data, D.load_model())


# --------------------------------------------------------------------------------------
# words and case
# --------------------------------------------------------------------------------------


def split_word(text: str) -> tuple[str, str, str] | None:
    """(leading punctuation, letters, trailing punctuation) of a word that is letters
    with punctuation around them; None for anything else (numbers, codes, dates)."""
    a, b = 0, len(text)
    while a < b and text[a] in _LEAD:
        a += 1
    while b > a and text[b - 1] in _TRAIL:
        b -= 1
    core = text[a:b]
    if not core or not core.isalpha():
        return None
    return text[:a], core, text[b:]


def _title(c: str | None) -> bool:
    return bool(c) and c[0].isupper() and not c.isupper()


def _in_name(cores: Sequence[str | None], j: int) -> bool:
    """Word ``j`` is capitalised and so is a word next to it."""
    return _title(cores[j]) and ((j > 0 and _title(cores[j - 1])) or (j + 1 < len(cores) and _title(cores[j + 1])))


def is_word(low: str, model: D.NgramModel) -> bool:
    """``low`` (lower case) is an attested, well-formed syllable; a stop coda (c, ch, p, t)
    wants the sắc or nặng tone ("tiêp" is none)."""
    return low in model.word_id and is_valid_syllable(low) and not toneless_stop(low)


def fix_case(cores: list[str | None], model: D.NgramModel, texts: Sequence[str] | None = None
             ) -> list[str | None]:
    """Case errors inside a line's words (``cores``: letters of each word or None; ``texts``:
    the words with their punctuation, which tells where a sentence or a list label ends):
    accented capitals inside a syllable ("CÔng" -> "Công", "triỆt" -> "triệt"), and a lone all-caps
    accented syllable among words that are not in capitals ("các CƠ quan" -> "các cơ quan";
    "CƠ quan" at a sentence start -> "Cơ quan").  Headings in capitals, acronyms ("IP", "mA",
    "TEN") and roman numerals stay."""
    out = list(cores)
    n = len(cores)

    def caps(j: int) -> bool:
        c = cores[j] if 0 <= j < n else None
        return c is not None and len(c) > 1 and c.isupper()

    lowers = sum(1 for c in cores if c and c.islower())
    texts = texts if texts is not None else [c or "" for c in cores]

    def running(j: int) -> bool:  # word j is a small word inside a sentence, not its end
        c = cores[j] if 0 <= j < n else None
        return bool(c) and c.islower() and texts[j][-1:] not in ".:;!?)"

    for j, c in enumerate(cores):
        if not c or len(c) < 2 or c.islower():
            continue
        low = c.lower()
        if not c.isupper():
            inner = [ch for ch in c[1:] if ch.isupper()]
            if inner and D.has_accent("".join(inner)) and is_word(low, model):
                out[j] = c[0] + low[1:]  # "CÔng" -> "Công", "triỆt" -> "triệt"
            continue
        if (lowers * 2 < n or texts[j].rstrip(",.;:") != c or caps(j - 1) or caps(j + 1)
                or not D.has_accent(c) or not is_word(low, model)
                or set(c) <= _ROMAN or j + 1 >= n or not (cores[j + 1] and cores[j + 1].islower())):
            continue
        out[j] = low if running(j - 1) else c[0] + low[1:]
    return out


# --------------------------------------------------------------------------------------
# correction of lines
# --------------------------------------------------------------------------------------


#: strokes a ruling or a page border leaves glued to the front of a word ("IỦY", "|nhiệm")
_STROKES = "I|l"
#: a roman numeral and the letter of a class ("IIa", "IVb")
_CLASS_RE = re.compile(r"[IVX]+[a-zđ]")


def unglued(text: str, model: D.NgramModel) -> str:
    """``text`` without the strokes glued to its front that make it no word ("IỦY BAN" ->
    "ỦY", "ISố:" -> "Số:", "Inhiệm" -> "nhiệm", "|Nơi" -> "Nơi"): a table's ruling or a page's
    border read as "I", "l" or "|".  Only when the word is no attested syllable and the rest is
    one of two letters or more -- in capitals only with marks ("ISO", "IKT" stay: acronyms;
    "IIa" stays: a class)."""
    if len(text) < 3 or text[0] not in _STROKES:
        return text
    whole = split_word(text)
    if whole and (is_word(whole[1].lower(), model) or _CLASS_RE.fullmatch(whole[1])):
        return text
    for k in (1, 2):  # the fewest strokes whose removal leaves a word ("Ilà" is "là")
        rest = text[k:]
        part = split_word(rest) if rest[:1].isalpha() and text[k - 1] in _STROKES else None
        if part is None or part[0]:
            continue
        core = part[1]
        if len(core) > 1 and is_word(core.lower(), model) and not (core.isupper() and not D.has_accent(core)):
            return rest
    return text


#: a run of letters OCR glued is parted into at most this many syllables
MAX_GLUED = 3
#: letters of the longest syllable ("nghiêng"): a run of more letters than MAX_GLUED such
#: syllables hold is not parted
MAX_SYLLABLE = 7
#: a token longer than this (characters) is no few words glued: never parted
MAX_GLUED_TOKEN = 64
#: each of two letters or more and seen this many times at least (a misread word parts into
#: rare pieces: "Nehị" is no "Ne hị")
MIN_GLUED_COUNT = 200
#: two words OCR printed without the space after their comma or semicolon ("hợp,báo")
_PUNCT_GLUED_RE = re.compile(r"^(.*[^\W\d_][,;])([^\W\d_].*)$")


def _capitals_glued(core: str, model: D.NgramModel) -> tuple[str, str] | None:
    """``core`` as a run of capitals and the word glued after it: an acronym and a word in lower
    case ("UBMTTQvà" -> "UBMTTQ" "và"), a heading in capitals and a word in title case
    ("VIỆT NAMĐộc lập" -> "NAM" "Độc"; of "NAMĐ" "ộc" and "NAM" "Độc" the more frequent word
    wins); None otherwise."""
    k = next((i for i, ch in enumerate(core) if not ch.isupper()), len(core))
    if k < 2 or k == len(core) or not core[k:].islower():
        return None
    options = [(core[:k], core[k:])]
    if k >= 3:
        options.append((core[:k - 1], core[k - 1:]))
    best = max(((model.counts[model.word_id[w.lower()]], (caps, w)) for caps, w in options
                if is_word(w.lower(), model)), default=None)
    return None if best is None else best[1]


def parted(text: str, chan: VieChannel) -> list[str]:
    """``text`` as the words OCR glued into it: "hợp,báo" -> "hợp," "báo" (a comma or
    semicolon between letters), "UBMTTQvà" -> "UBMTTQ" "và" (an acronym and a word in lower
    case), "kinhnghiệm" -> "kinh" "nghiệm" (a run of letters with
    Vietnamese marks that is no syllable and no misreading of one the channel knows, parted into
    the attested syllables the LM likes best,
    :data:`MAX_GLUED` at most); ``[text]`` when it is one word.  Capitals only (acronyms: "UBND",
    "HĐND"), words with digits and words without marks (loanwords: "online", "video", "camera")
    are never parted, nor a word that parts into no syllables at all."""
    if len(text) > MAX_GLUED_TOKEN:
        return [text]
    m = _PUNCT_GLUED_RE.match(text)
    if m and not any(ch.isdigit() for ch in text):
        return parted(m.group(1), chan) + parted(m.group(2), chan)
    part = split_word(text)
    if part is None or not 4 <= len(part[1]) <= MAX_GLUED * MAX_SYLLABLE or part[1].isupper():
        return [text]
    lead, core, trail = part
    if glued := _capitals_glued(core, chan.model):  # "UBMTTQvà", "NAMĐộc"
        return [lead + glued[0], glued[1] + trail]
    low = core.lower()
    if is_valid_syllable(low) or not D.has_accent(low):  # unmarked: a loanword ("online", "video")
        return [text]
    if chan.candidates(low)[0]:  # a syllable misread ("khoân" for "khoản"), not two glued
        return [text]
    model = chan.model
    best: tuple[float, list[str]] | None = None
    for pieces in _splits(low, MAX_GLUED):
        if all(len(p) >= 2 and is_word(p, model) and model.counts[model.word_id[p]] >= MIN_GLUED_COUNT
               for p in pieces):
            score = model.sequence_logprob(model.ids(pieces))
            if best is None or score > best[0]:
                best = (score, pieces)
    if best is None:
        return [text]
    out, at = [], 0
    for piece in best[1]:  # each piece in the case it was printed in
        out.append(core[at:at + len(piece)])
        at += len(piece)
    out[0], out[-1] = lead + out[0], out[-1] + trail
    return out


def _splits(word: str, most: int) -> list[list[str]]:
    """Every parting of ``word`` into two to ``most`` non-empty pieces."""
    out = []
    for i in range(1, len(word)):
        head, rest = word[:i], word[i:]
        out.append([head, rest])
        if most > 2:
            out.extend([head] + tail for tail in _splits(rest, most - 1))
    return out


def correct_lines(lines: Sequence[Sequence[tuple[str, float | None]]], channel: VieChannel | None = None
                  ) -> list[list[str]]:
    """The corrected text of each word of each line (``lines``: per line, its words as
    (text, confidence in [0, 1] or None) or (text, confidence, readings): per letter of the
    text, the (letter, confidence) readings OCR weighed, best first, or None).  Lines run on into the next when they do not end
    a sentence (they share one LM segment).  Words OCR glued (:func:`parted`) are corrected
    as the words they are, and come back in their slot joined by spaces ("kinh nghiệm")."""
    chan = channel or load_channel()
    if chan is None:
        return [[w[0] for w in line] for line in lines]
    slots: list[list[int]] = []  # per line: the word each expanded word came from
    expanded: list[list[tuple]] = []  # (text, confidence[, readings]) per word
    for line in lines:
        words, at = [], []
        for k, (t, c, *readings) in enumerate(line):
            # a ruling's stroke glued to the front goes first ("INơi" is "Nơi", no acronym)
            normed = unicodedata.normalize("NFC", t)
            pieces = parted(unglued(normed, chan.model), chan)
            if len(pieces) > 1:
                words.extend((piece, c) for piece in pieces)
                at.extend([k] * len(pieces))
            else:
                words.append((t, c, *readings))
                at.append(k)
        expanded.append(words)
        slots.append(at)
    got = _correct_lines(expanded, chan)
    if _marks_changed(expanded, got) >= DOUBT_FROM:
        got = _correct_lines(expanded, chan, DOUBT_PENALTY, DOUBT_REMARK_MARGIN)
    out = []
    for line, at, new in zip(lines, slots, got):
        joined: list[list[str]] = [[] for _ in line]
        for k, t in zip(at, new):
            joined[k].append(t)
        out.append([" ".join(ws) for ws in joined])
    return out


def _marks_changed(lines: Sequence[Sequence[tuple]], got: list[list[str]]) -> float:
    """The share of the words of letters of ``lines`` whose marks (or case) the decoding
    ``got`` changed, 0.0 for fewer than :data:`DOUBT_MIN_WORDS` such words."""
    n = changed = 0
    for line, new in zip(lines, got):
        for word, text in zip(line, new):
            old = unicodedata.normalize("NFC", word[0])
            if any(ch.isalpha() for ch in old):
                n += 1
                changed += text != old and D.fold(text.lower()) == D.fold(old.lower())
    return changed / n if n >= DOUBT_MIN_WORDS else 0.0


def _correct_lines(lines: Sequence[Sequence[tuple[str, float | None]]], chan: VieChannel,
                   protection: float = 1.0, margin: float | None = None) -> list[list[str]]:
    """The decoding of :func:`correct_lines`; ``protection``: the share of
    :data:`CHANGE_PENALTY` that protects a confidently read word, ``margin``: the re-marking
    margin (:data:`REMARK_MARGIN` when None)."""
    out = [[w[0] for w in line] for line in lines]
    model = chan.model
    wid = model.word_id.get
    segments: list[list[tuple[int, int, str, str, str]]] = []  # (line, word, lead, core, trail)
    lattices: list[list[tuple[int, ...]]] = []
    emissions: list[list[tuple[float, ...]]] = []
    prev_open = False
    for li, line in enumerate(lines):
        normed = [unicodedata.normalize("NFC", w[0]) for w in line]
        texts = [unglued(t, model) for t in normed]
        out[li] = [t if t != n else o for t, n, o in zip(texts, normed, out[li])]
        parts = [split_word(t) for t in texts]
        cores = fix_case([p[1] if p else None for p in parts], model, texts)
        heading = sum(1 for c in cores if c and c.isupper()) * 2 >= sum(1 for c in cores if c)
        if not line:
            prev_open = False
            continue
        if not prev_open or not segments or len(lattices[-1]) > MAX_SEGMENT_WORDS:
            segments.append([])
            lattices.append([])
            emissions.append([])
        seg, lat, em = segments[-1], lattices[-1], emissions[-1]
        for wi, (word, text, part, core) in enumerate(zip(line, texts, parts, cores)):
            conf = word[1]
            if part is None:
                lat.append((D.NUM if any(ch.isdigit() for ch in text) else D.UNK,))
                em.append((0.0,))
                seg.append((li, wi, "", "", ""))
                continue
            low = core.lower()
            own = wid(low, D.UNK)
            known = is_word(low, model)
            marker = len(core) == 1 and (core.isupper() or part[2][:1] in ").")  # "A", "b)", "c."
            # an acronym or a code ("VT, CAT") is left alone, and so is a letter among small words
            doubted = not (marker or (core.isupper() and not (heading and D.has_accent(core))))
            # in a heading in capitals only the marks are in doubt
            ids, lps = chan.candidates(low, letters=not core.isupper()) if doubted else ((), ())
            readings = _core_readings(normed[wi], core, word[2] if len(word) > 2 else None)
            evidence: tuple[tuple[float, float], ...] = ()
            if readings and doubted:
                more = tuple(i for i in chan.read_candidates(low, readings) if i != own and i not in ids
                             and (not core.isupper() or D.fold(model.vocab[i]) == D.fold(low)))
                ids, lps = ids + more, lps + tuple(chan.misread_logp(low, model.vocab[i]) for i in more)
                evidence = tuple(reading_evidence(low, model.vocab[i], readings) for i in ids)
            seg.append((li, wi, part[0], core, part[2]))
            if not ids:
                lat.append((own,))
                em.append((0.0,))
                continue
            conf = DEFAULT_CONFIDENCE if conf is None else conf
            pk = chan.keep_prob(conf, known)
            keep = CHANNEL_WEIGHT * math.log(pk)
            if not known and D.has_accent(low):
                keep -= NON_WORD_PENALTY  # Vietnamese marks on no attested syllable: damage
            change = CHANNEL_WEIGHT * math.log(1.0 - pk)
            penalty = 0.0
            if known:  # only attested words are protected: a sure non-word is still damage
                # a capitalised word with marks next to another inside a line is most likely
                # part of a name ("Đinh Xuân Biên"): as if read with full confidence; one without
                # marks is as likely a body's name whose marks the scan lost ("Bộ Cong an", "Sở
                # Thong tin"), and a name's unmarked syllable ("Minh", "Lan") has the LM behind it
                sure = 1.0 if wi and _in_name(cores, wi) and D.has_accent(low) else conf
                penalty = protection * CHANGE_PENALTY * max(0.0, sure - SURE_FROM) / (1 - SURE_FROM)
            lat.append((own,) + ids)
            # a letter OCR nearly read instead counts for the change and lifts part of the
            # protection; without readings, (0, 0): the change as the channel and LM have it
            evidence = evidence or ((0.0, 0.0),) * len(lps)
            em.append((keep,) + tuple(change + CHANNEL_WEIGHT * lp + READING_WEIGHT * ev
                                      - penalty * (1.0 - READING_WAIVE * least)
                                      for lp, (ev, least) in zip(lps, evidence)))
        last = texts[-1] if texts else ""
        prev_open = bool(last) and last[-1] not in ".:;!?" and not all(c is None or c.isupper() for c in cores)
    if not segments:
        return out
    choice = D.decode_segments(model, lattices, emissions)
    for seg, lat, ch in zip(segments, lattices, choice):
        for (li, wi, lead, core, trail), cands, k in zip(seg, lat, ch):
            if not core:
                continue
            word = core if k == 0 else D.apply_case(core, model.vocab[cands[k]])
            new = lead + word + trail
            if word != split_word(unicodedata.normalize("NFC", out[li][wi]))[1]:
                out[li][wi] = new
    return remarked(out, model, REMARK_MARGIN if margin is None else margin)


#: a run of words whose marks the LM, reading the letters alone, restores otherwise takes those
#: marks when the line's LM score rises by at least this many nats: a confident misreading of
#: the marks ("Tố chức", "Cải cách thế chế", "chế đô công vụ") that the confidence protected
#: from the correction above.  Chosen as the lowest margin at which 13,623 held-out lines of
#: born-digital text lose no correct word (at 8 nats "cần bán" became "căn bản"); on generated
#: scans of training documents 15 / 10 / 8 nats gain 0.23 / 0.32 / 0.42 points of syllables.
REMARK_MARGIN = 10.0
#: words marked otherwise this many words apart or closer are judged together ("Cái cách thế
#: chế": neither misreading alone lowers the score as much as the two do)
RUN_GAP = 2


def remarked(lines: list[list[str]], model: D.NgramModel, margin: float = REMARK_MARGIN) -> list[list[str]]:
    """``lines`` (words per line) with the runs of words that :func:`normalizers.diacritics.
    restore_units` marks otherwise, on the same letters, given those marks where that raises
    the line's LM score by ``margin`` (:data:`REMARK_MARGIN`) or more (with the rest of the line as it
    is; words at most :data:`RUN_GAP` apart are one run).  List markers ("đ)", "b."), words in
    which only the old tone placement differs ("hoá"), words that become no syllable (a loanword
    such as "đioxit"), words with digits and capitalised words
    next to another (a name: "Ma Văn Lả" is no "Mà Vẫn Là") stay."""
    joined = [" ".join(ws) for ws in lines]
    todo = [k for k, text in enumerate(joined) if D.has_accent(text)]
    if not todo:
        return lines
    restored = D.restore_units([joined[k] for k in todo], model)
    out = list(lines)
    for k, new in zip(todo, restored):
        words, news = lines[k], new.split(" ")
        if len(news) != len(words) or new == joined[k]:
            continue
        named = [(split_word(w) or (None, None, None))[1] for w in words]
        differs = [w != n and _remarkable(w, n) and not _in_name(named, j)
                   for j, (w, n) in enumerate(zip(words, news))]
        if not any(differs):
            continue
        cores = [_core(w) for w in words]
        # a line that runs on is judged with the words around it ("Một cửa xã" at a line's end
        # is no "Một cửa xả" when "tiếp nhận hồ sơ" follows); a line opening on a capital opens
        # a sentence, a table cell or a name, which the words before it do not run into
        # ("... hành chính" / "Tố chức đối thoại": the next cell of a table)
        left = ([_core(w) for w in lines[k - 1][-CONTEXT_WORDS:]]
                if k and _runs_on(lines[k - 1]) and not _opens_capital(words) else [])
        right = [_core(w) for w in lines[k + 1][:CONTEXT_WORDS]] if k + 1 < len(lines) and _runs_on(words) else []
        base = model.sequence_logprob(model.ids(left + cores + right))
        current = list(words)
        j = 0
        while j < len(words):
            if not differs[j]:
                j += 1
                continue
            end = j + 1  # a run: words marked otherwise, at most RUN_GAP words apart
            while any(differs[end:end + RUN_GAP + 1]):
                end += 1 + next(g for g, d in enumerate(differs[end:end + RUN_GAP + 1]) if d)
            run = [i for i in range(j, end) if differs[i]]
            trial = [_core(news[i]) if i in run else c for i, c in enumerate(cores)]
            score = model.sequence_logprob(model.ids(left + trial + right))
            if score - base >= margin:
                # each word of the run must carry its part: one the line reads as well without
                # changing (a rare word riding along a sure fix) keeps its marks
                for i in run:
                    back = trial[:i] + [cores[i]] + trial[i + 1:]
                    if model.sequence_logprob(model.ids(left + back + right)) < score - 1.0:
                        current[i] = news[i]
            j = end
        out[k] = current
    return out


#: words of the lines before and after that a line running on is judged with
CONTEXT_WORDS = 3


def _core(word: str) -> str:
    return (split_word(word) or ("", word, ""))[1].lower()


def _runs_on(words: Sequence[str]) -> bool:
    return bool(words) and words[-1][-1:] not in ".:;!?"


def _opens_capital(words: Sequence[str]) -> bool:
    """Whether a line's first word is a capitalised word of letters ("Tổ", not "UBND" or "xã")."""
    core = (split_word(words[0]) or ("", "", ""))[1] if words else ""
    return len(core) > 1 and core[0].isupper() and core[1:].islower()


def _remarkable(word: str, new: str) -> bool:
    part = split_word(word)
    if part is None or any(ch.isdigit() for ch in word):
        return False
    core = part[1]
    if len(core) == 1 and part[2][:1] in ").":
        return False  # a list marker: "đ)", "b."
    target = _core(new)
    # a loanword ("đioxit") is no syllable: its spelling is no matter for the LM
    return is_valid_syllable(target) and new_tone_place(core.lower()) != new_tone_place(target)


def correct_words(words: list) -> list:
    """OCR words (:class:`extractors.layout.Word`) with their text corrected; boxes and
    confidences stay.  Unchanged words are the same objects."""
    if not words:
        return words
    groups = group_lines(words)
    texts = correct_lines([[(words[i].text, words[i].confidence, words[i].alternatives) for i in idx]
                           for idx in groups])
    chan = load_channel()
    model = chan.model if chan else None
    out = list(words)
    for idx, new in zip(groups, texts):
        new = _commas(new, [words[i] for i in idx], model)
        for i, t in zip(idx, new):
            if t != words[i].text or words[i].alternatives is not None:
                out[i] = dataclasses.replace(words[i], text=t, alternatives=None)  # used up
    return out


#: a word ending on a period and the next one opening lower case, at most this many times the
#: line's height apart, are two words of one sentence: the period is a comma OCR misread
COMMA_GAP = 0.8


def _commas(texts: list[str], words: Sequence, model: D.NgramModel | None) -> list[str]:
    """The corrected ``texts`` of one line's ``words`` with a period that OCR read for a comma
    put right: "Tổng hợp. báo cáo", "cán bộ. công chức" -- a sentence does not go on in lower
    case after a period.  Only between a word of letters ending lower case and, close beside
    it, an attested syllable opening lower case (in a table, the next cell stands further off);
    on generated scans the source had a comma in 156 of 183 such places, a period in 6 (before
    specks, which the syllable rule leaves out)."""
    if model is None:
        return texts
    out = list(texts)
    for k in range(len(texts) - 1):
        part, nxt = split_word(texts[k]), split_word(texts[k + 1])
        if (part is None or part[2] != "." or len(part[1]) < 2 or not part[1][-1].islower()
                or nxt is None or nxt[0] or len(nxt[1]) < 2 or not nxt[1][0].islower()
                or not is_word(nxt[1], model)):
            continue
        a, b = words[k], words[k + 1]
        height = max(a.bottom - a.top, b.bottom - b.top, 1e-6)
        if b.x0 - a.x1 <= COMMA_GAP * height:
            out[k] = part[0] + part[1] + ","
    return out


def wants_readings(lang: str, enabled: bool = True) -> bool:
    """Whether the words OCR reads in ``lang`` will be corrected (:func:`correct_ocr_words`),
    so that the readings tesseract weighed per letter are worth asking for."""
    return enabled and "vie" in lang.split("+")


def correct_ocr_words(words: list, lang: str, enabled: bool = True) -> list:
    """The scan path's hook: :func:`correct_words` when ``enabled`` and the OCR language
    (``cfg.ocr_lang``, e.g. "vie" or "vie+eng") includes Vietnamese; else ``words``."""
    if not wants_readings(lang, enabled):
        return words
    return correct_words(words)
