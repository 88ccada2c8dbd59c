"""Pure computation for Loss Explorer: the loss catalog, evaluation with real torch, curves,
from-scratch formulas and code snippets. Imports torch, numpy, pandas and stdlib only."""
