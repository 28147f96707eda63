"""Indicator families of the lägesbild, one module each.

- ``counts``: incident counts, rates per 1,000 inhabitants, change.
- ``darkness``: distance to the nearest working lamp, broken lamps, faults (action 9).
- ``cameras``: camera view sectors and coverage (action 6).
- ``graffiti``: open reports and the 72-hour removal share (action 7).
- ``flood``: share of a unit in each flood scenario, facilities exposed (37).

Each function takes frames in EPSG:3006 (checked) and returns one value per
unit, indexed like the units it was given.
"""
