"""EU CTIS under Regulation (EU) No 536/2014: trial data, the Annex IV summary of results, the Annex V
lay summary."""
