"""Helpers for tests and benchmarks, never imported by derm3r itself: synthetic images, a tiny random model, audit sets.

They live in the package (not under tests/) so that benchmarks and an installed wheel can use them too.
"""
