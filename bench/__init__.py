"""Benchmarks of ofsted-kg at scale: ``python -m bench`` (``--quick`` for a short check)."""
