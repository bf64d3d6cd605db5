"""Tasks stated in the body: bullets under "Nhiệm vụ" headings, and the duties
that "Tổ chức thực hiện" assigns to each responsible body.

Scope comes from the headings above a paragraph, innermost first: the first
heading that names goals ("Mục tiêu", "Chỉ tiêu", "Mục đích", "Yêu cầu") or
tasks ("Nhiệm vụ") decides, so "II. MỤC TIÊU VÀ NHIỆM VỤ > 2.1 ... > a) Mục
tiêu" is a goal scope and "... > b) Nhiệm vụ" a task scope.  Everything under
a "Tổ chức thực hiện" heading is a responsibility scope.

In a task scope, bullets and plain paragraphs are tasks; a numbered item is a
task only when nothing hangs below it (otherwise it is a heading).  In a
responsibility scope, each duty gets its owner from, in order: its own prefix
("Phòng Văn hóa - Xã hội: Chủ trì ..."), its opening words before a verb of
duty ("Phòng Kinh tế tham mưu ..."), or the nearest heading that names a body
("2. Công chức Tư pháp – Hộ tịch", "1. Trách nhiệm của Chủ tịch UBND xã").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.sections import Block, Outline, Section
from normalizers.text import collapse_ws, fold

GOAL_WORDS = ("muc tieu", "chi tieu", "muc dich", "yeu cau")
TASK_WORDS = ("nhiem vu",)
RESPONSIBILITY_WORDS = ("to chuc thuc hien",)

# Head nouns that open the name of a responsible body (folded).
_OWNER_HEAD = re.compile(
    r"^(van phong|cong chuc|phong |trung tam|ban (?!hanh)|dai (phat|truyen)|uy ban|ubnd|ubmttq|chu tich|pho chu tich|"
    r"cac (phong|ban|bo phan|co quan|don vi|to chuc|doan the|cong chuc)|mat tran|doan |hoi |bo phan|"
    r"truong (?!hop)|so (?!hoa|lieu|luong)|cong an|quan su|can bo|to (cong tac|kiem tra|tiep nhan)|"
    r"tu phap|tai chinh|van hoa|dia chinh)")
# Verbs that follow the body's name in a duty sentence ("Phòng Kinh tế tham mưu ...").
_DUTY_VERB = re.compile(
    r"\s(tham muu|chu tri|co trach nhiem|chiu trach nhiem|phoi hop|thuc hien|theo doi|truc tiep|la co quan|"
    r"trien khai|huong dan|to chuc|xay dung|chi dao|dong vai tro|day manh)\b")
_HEADING_PREFIX = re.compile(r"^(trach nhiem (cu the )?(cua )?|de nghi |giao )")
_MAX_OWNER_WORDS = 18


@dataclass(frozen=True, slots=True)
class BodyTask:
    source: str  # "body" or "responsibility"
    section_id: str | None
    group_no: str | None
    group_title: str | None
    text: str
    lead: str | None
    line_start: int
    line_end: int
    page: int | None


def _has(heading: str, words: tuple[str, ...]) -> bool:
    folded = fold(heading)
    return any(w in folded for w in words)


def _is_responsibility_root(section: Section) -> bool:
    return section.kind in ("roman", "arabic") and fold(section.heading).startswith(RESPONSIBILITY_WORDS)


def scope_of(outline: Outline, block: Block) -> str | None:
    """'task', 'goal', 'responsibility' or None for the block's place in the tree."""
    chain = outline.ancestors(block.section_id)
    if block.is_item:
        chain = chain[1:]
    if any(_is_responsibility_root(s) for s in chain):
        return "responsibility"
    for s in chain:
        is_goal, is_task = _has(s.heading, GOAL_WORDS), _has(s.heading, TASK_WORDS)
        if is_task:
            return "task"
        if is_goal:
            return "goal"
    return None


def _group(outline: Outline, section_id: str | None) -> tuple[str | None, str | None]:
    """The area section: the outermost arabic heading that names no scope keyword."""
    for s in reversed(outline.ancestors(section_id)):
        if s.kind == "arabic" and not _has(s.heading, GOAL_WORDS + TASK_WORDS):
            return s.number, s.heading
    return None, None


def _is_leaf(block: Block, kids: dict, attached: set[str]) -> bool:
    if not block.is_item:
        return True
    section_id = block.section_id
    if block.paragraph.kind in ("dash", "plus"):
        return True
    return not kids.get(section_id) and section_id not in attached


def _is_pointer(text: str) -> bool:
    """"(Chi tiết tại Phụ lục kèm theo)": a pointer to the appendix, not a task."""
    return len(text) < 100 and "phu luc" in fold(text)


def owner_prefix(text: str) -> tuple[str, str] | None:
    """``(owner, duty)`` when the text opens with a body's name ("X: duty" or "X tham mưu ...")."""
    folded = fold(text)
    m = _HEADING_PREFIX.match(folded)
    if m:  # "Đề nghị Ủy ban MTTQ ...: ..." -> the body after the courtesy words
        text, folded = text[m.end():], folded[m.end():]
    if not _OWNER_HEAD.match(folded):
        return None
    colon = text.find(":")
    if 0 < colon and len(text[:colon].split()) <= _MAX_OWNER_WORDS:
        return collapse_ws(text[:colon]).rstrip(" ,"), collapse_ws(text[colon + 1:])
    m = _DUTY_VERB.search(folded)
    if m and len(text[: m.start()].split()) <= _MAX_OWNER_WORDS:
        return collapse_ws(text[: m.start()]).rstrip(" ,"), collapse_ws(text[m.start():])
    return None


def heading_owner(heading: str) -> str | None:
    """The body a heading names: "Trách nhiệm của Chủ tịch UBND xã" -> "Chủ tịch UBND xã"."""
    folded = fold(heading)
    m = _HEADING_PREFIX.match(folded)
    text = heading[m.end():] if m and len(folded) == len(heading) else heading
    folded = fold(text)
    for sep in (":", " la co quan", ", co trach nhiem", " co trach nhiem", " (phu trach"):
        k = folded.find(sep)
        if k > 0:
            text, folded = text[:k], folded[:k]
    text = collapse_ws(text).rstrip(" ,.")
    if _OWNER_HEAD.match(fold(text)) and len(text.split()) <= _MAX_OWNER_WORDS:
        return text
    return None


def extract_body_tasks(outline: Outline) -> list[BodyTask]:
    """Body tasks and responsibilities in document order."""
    kids = outline.children()
    attached = {b.section_id for b in outline.blocks if not b.is_item and b.section_id}
    out: list[BodyTask] = []
    for block in outline.blocks:
        scope = scope_of(outline, block)
        if scope not in ("task", "responsibility") or not _is_leaf(block, kids, attached):
            continue
        para = block.paragraph
        text = para.body
        if not text or _is_pointer(text):
            continue
        group_no, group_title = _group(outline, block.section_id)
        lead = None
        if scope == "responsibility":
            found = owner_prefix(text)
            if found:
                lead, text = found
            else:
                chain = outline.ancestors(block.section_id)
                chain = chain[1:] if block.is_item else chain
                lead = next((o for s in chain
                             if not _is_responsibility_root(s) and (o := heading_owner(s.heading))), None)
            if lead is None or not text:
                continue
        out.append(BodyTask("body" if scope == "task" else "responsibility", block.section_id,
                            group_no, group_title, text, lead, para.line_start, para.line_end, para.page))
    return out

