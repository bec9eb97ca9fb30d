"""The shipped default model (sectors.joblib + sectors.json), packaged as data."""
