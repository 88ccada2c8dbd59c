"""The loss specs, one module per family; `core.catalog` lists them in order."""
