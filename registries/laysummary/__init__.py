"""Lay summaries (CTR 536/2014 Annex V): rendering shared by the CTIS upload and participant letters."""
