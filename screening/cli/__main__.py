"""`python -m screening.cli …`: the same command line as `screening …` (how `screening serve` starts its worker)."""

from . import main

main()
