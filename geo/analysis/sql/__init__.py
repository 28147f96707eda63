"""The lägesbild's incident figures computed inside PostGIS (aggregated in SQL, never loaded)."""
