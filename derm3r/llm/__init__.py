"""LLM engines' shared parts: agent specs, prompt rendering, structured output, response cache.

Nothing here imports torch, transformers or an HTTP client at import time.
"""
