"""The ECM member assistant's application package (no work at import time)."""
