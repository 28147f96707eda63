"""The web map: compact Leaflet layers, quantile classes, the base map and the lägesbild layers."""
