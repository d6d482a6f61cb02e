"""The project's fixed points, each defined once and used everywhere (the book included).

``EVENT_DATE``
    Monday 27 January 2025, the day Nvidia fell about 17% after DeepSeek-R1 (``data/facts/event.csv``).
``DEFAULT_AS_OF``
    10 February 2025, the default information cutoff of every fit: the facts in
    ``data/facts`` marked as known by then are the project's as-of evidence.
``EVENT_YEAR``
    The event date as a fractional calendar year (day 26 of 365 after 1 January), the date of the
    DeepSeek shock in the engine's time axis.
``SEED``
    The seed of every random generator that is not given one (the event date written as a
    number), so the same inputs give bit-identical outputs.
"""

from __future__ import annotations

EVENT_DATE = "2025-01-27"
DEFAULT_AS_OF = "2025-02-10"
EVENT_YEAR = 2025 + 26 / 365
SEED = 20250127
