"""One router per resource: health, consult, safety, kb, patients."""
