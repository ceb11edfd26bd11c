"""Tools over the core: case files, vignettes (training material and regression tests) and impact comparison."""
