"""The REST API for CTMS integrations (`/api/v1/`): DRF views that call the domain functions."""
