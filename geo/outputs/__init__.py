"""What leaves the program: file exports, the lägesbild files, downloads, the printed map and the web map."""
