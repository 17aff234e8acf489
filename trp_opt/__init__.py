"""trp-opt: split a civil-defence budget across projects to maximise endurance days."""

__version__ = "0.1.0"
