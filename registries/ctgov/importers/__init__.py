"""Readers from ClinicalTrials.gov formats into the canonical record."""
