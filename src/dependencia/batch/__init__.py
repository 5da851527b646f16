"""Many runs at once and questions over their tables: ``sweep`` (a scenario over a grid or a
Latin hypercube, on the executor) and ``query`` (DuckDB views over run and sweep folders).

Imports ``simulation`` and the layers below it; the report and the command line build on it.
"""
