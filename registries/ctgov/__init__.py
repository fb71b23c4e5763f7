"""ClinicalTrials.gov: PRS protocol and results XML, API v2 JSON and classic public XML."""
