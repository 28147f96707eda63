"""The PostGIS backend: the municipality's PostgreSQL + PostGIS as a multi-user store.

:class:`PostGISStore` (in :mod:`geo.store.postgis.store`) keeps every layer
as a typed table with a GiST index, writes each import in one transaction
with its import log row, and serialises writers per table; the tables and
their DDL are in :mod:`~geo.store.postgis.schema`, the ``COPY`` transfer of
rows in :mod:`~geo.store.postgis.rows`, and the connection settings (URL,
``PG*`` environment, INI file) and the lazy psycopg import in
:mod:`~geo.store.postgis.connection`.

psycopg 3 is imported only when a PostGIS store is opened:
``pip install "psycopg[binary]>=3.1"``.
"""

from geo.store.postgis.store import PostGISStore

__all__ = ["PostGISStore"]
