"""Question types, one module each, grouped by topic; found by ``qbank.registry``."""
