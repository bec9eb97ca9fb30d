"""Gazetteer data shipped with the package (places.tsv: see classifier.places)."""
