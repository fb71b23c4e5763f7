"""The staff web application's views: thin, reading through ``submissions.scoping`` and writing only
through ``submissions.domain``."""
