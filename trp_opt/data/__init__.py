"""Plain data, the bottom layer: inputs, options, plans, solutions, errors and Inputs -> Inputs transforms. Imports nothing of trp_opt above it."""
