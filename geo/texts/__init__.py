"""Interface texts by part of the product, as data; :mod:`geo.i18n` merges them into one table."""
