"""Many solves of one workbook on an executor: frontier, alternatives, stress."""
