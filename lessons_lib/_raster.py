"""Old home of the apps' fast-redraw shortcuts; kept until ``lessons_lib.apps`` imports the new ones.

Use :mod:`lessons_lib._compat` (``TextCachingCanvas``, ``reset_axes``) and
:mod:`lessons_lib._png` (``png_bytes``). Delete this module when nothing imports it.
"""

from lessons_lib._compat import TextCachingCanvas, reset_axes
from lessons_lib._png import png_bytes

__all__ = ["TextCachingCanvas", "png_bytes", "reset_axes"]
