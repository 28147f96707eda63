"""Trygghetskartan: geospatial safety mapping for Järfälla kommun.

The package is organised one job per module:

- ``geo.settings``: typed defaults (CRS, cell size, store path, ...).
- ``geo.errors``: the domain exceptions.
- ``geo.crs``: CRS checks and reprojection; analysis in EPSG:3006.
- ``geo.store``: the store interface and its backends.
- ``geo.io``: readers and writers for file formats.
- ``geo.demo``: the seeded, Järfälla-shaped demo store.
- ``geo.cli``: the ``trygghetskartan`` command line.
"""

__version__ = "0.1.0"
