"""The ``derm3r`` command line."""
