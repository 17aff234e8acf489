"""Workbooks in and out: the schema, safe reading, validation, ranges, proposals, templates, output paths and Excel helpers. Imports data only; never the model or a solver."""
