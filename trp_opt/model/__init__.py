"""The endurance model of models/endurance.md: in Pyomo (formulation.py), over blocks of days (blocks.py), and the HiGHS adapter."""
