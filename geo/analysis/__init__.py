"""The analysis: units, filters, indicators, hot spots and the lägesbild; reads the store, writes no file."""
