"""ISRCTN (code ``isrctn``): the registration data in the structure of ISRCTN's published XML, with the
plain English summary and plain English results fields, and the UK transparency duties of SI 2025/538.

ISRCTN publishes no XSD and has no submission API; ``schemas/isrctn/isrctn-trial.xsd`` is our own schema
of exactly the XML ``trial_xml`` emits, and ``adapter.verify`` validates against it.
"""
