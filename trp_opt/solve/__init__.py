"""Asking the model for a plan: one runner interface, the bisections over days, the lexicographic stages, questions side by side. Raises NoPlan, never explains it (that is analysis)."""
