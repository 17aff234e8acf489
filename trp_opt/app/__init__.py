"""One workflow per command: read -> compute -> write, the output checked before any solve."""
