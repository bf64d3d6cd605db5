"""The XML namespaces of Office Open XML (Word, DrawingML, VML) the Word readers share."""

from __future__ import annotations

__all__ = ["W_NS", "W", "R", "A", "WP", "V", "O", "MC_FALLBACK"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: "{namespace}" prefixes, to build a tag as W + "p"
W = "{" + W_NS + "}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
V = "{urn:schemas-microsoft-com:vml}"
O = "{urn:schemas-microsoft-com:office:office}"  # noqa: E741 - the namespace's own prefix
#: Word writes a shape twice: as DrawingML and, for older readers, as VML in the alternate
#: content's fallback
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
