"""Row numbers of appendix rows that print none, from the sequence of the printed ones.

A row without a printed number gets the previous row's number + 1 within its table; at a new
group of a table whose numbering starts again in every group ("I" 1-7, "II" 1-2) it gets 1.
The guess is kept only when it stays below the next printed number of the same group, so a row
that only continues the previous one (rows 3, -, 4) keeps no number.  Pure.
"""

from __future__ import annotations

from typing import Sequence

__all__ = ["sequence_row_numbers"]


def _int(row_no: str | None) -> int | None:
    return int(row_no) if row_no and row_no.isdigit() else None


def _run(rows: Sequence[tuple[str | None, str | None]], start: int, group: str | None):
    """The rows from ``start`` on while they stay in ``group``."""
    for g, r in rows[start:]:
        if g != group:
            return
        yield g, r


def _restarts(rows: Sequence[tuple[str | None, str | None]]) -> bool:
    """Whether the printed numbers start again at a group change."""
    last: tuple[str | None, int] | None = None
    for group, row_no in rows:
        n = _int(row_no)
        if n is None:
            continue
        if last is not None and group != last[0] and n <= last[1]:
            return True
        last = (group, n)
    return False


def sequence_row_numbers(rows: Sequence[tuple[str | None, str | None]]) -> list[tuple[str | None, bool | None]]:
    """For the ``(group_no, printed row_no)`` of every row of one table, in order: ``(row_no,
    inferred)`` — the printed number and False, the number the sequence gives and True, or
    ``(None, None)`` when no number can be given safely."""
    restart = _restarts(rows)
    out: list[tuple[str | None, bool | None]] = []
    prev: int | None = None
    prev_group: str | None = None
    started = False
    for i, (group, row_no) in enumerate(rows):
        if row_no:
            out.append((row_no, False))
            prev, prev_group, started = _int(row_no), group, True
            continue
        new_group = not started or group != prev_group
        if new_group and (restart or not started):
            guess: int | None = 1
        else:
            guess = prev + 1 if prev is not None else None
        # the next printed number before the group ends
        following = [r for g, r in _run(rows, i + 1, group) if r]
        nxt = _int(following[0]) if following else None
        if guess is None or (nxt is not None and guess >= nxt) or (following and nxt is None):
            out.append((None, None))
            prev = None
        else:
            out.append((str(guess), True))
            prev = guess
        prev_group, started = group, True
    return out
