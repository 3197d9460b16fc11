"""The supervision page (/supervision), one module per section and what they share.

``problems`` (the problems and their rectification), ``coverage`` (which villages
the rounds visited), ``plan`` (draw and keep the next round), ``enter`` (record a
problem or a change of status) and ``history`` (one village's supervision) each
draw one section; ``scope`` reads the region's records.  The figures they show are
computed in geo/supervision/ (``problems``, ``coverage``); their maps are tiled maps
(``ui/tiled_map.py``) of the data ``layers/interactive/problems.py`` builds.
"""
