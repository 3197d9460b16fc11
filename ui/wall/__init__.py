"""The wall page (/wall), one module per display mode and what they share.

``progress``, ``forecast`` and ``change`` colour the region's units (with the
ranking board of ``ranking``); ``exit`` and ``problems`` show their checks;
``tour`` says what each step of the rotation shows.  ``header``, ``layer``,
``style`` and ``html`` are shared; ``store`` reads the store and keeps the last
figures while it cannot be read.  The rules they show are in geo/wall.py and
geo/wall_checks.py.
"""
