"""The supervision page (/supervision), one module per section and what they share.

``problems`` (the problems and their rectification), ``coverage`` (which villages
the rounds visited), ``plan`` (draw and keep the next round), ``enter`` (record a
problem or a change of status) and ``history`` (one village's supervision) each
draw one section; ``scope`` reads the region's records and ``html`` builds the maps'
swatches and tooltips from escaped values.  The figures they show are computed in
geo/supervision/ (``problems``, ``coverage``).
"""
