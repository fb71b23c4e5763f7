"""WHO Trial Registration Data Set (TRDS 1.3.1) and the registry-to-ICTRP exchange XML (code ``who``).

- ``trds.build_items`` reads the 24 TRDS items from the record; ``trds.POINTERS`` names the field each
  comes from, and ``adapter.check`` gives one finding code per missing item
  (``who.trds_item_NN_missing``) pointing at that field.
- ``adapter.build`` is the exchange XML of who_ictrp.dtd (items 1-20), validated by ``adapter.verify``
  against the DTD read from REGISTRY_SCHEMA_DIR/who-ictrp (lxml, no entities, nothing fetched).
- Extension: the DTD (2008-2009) predates items 21-24 and allows no foreign elements, so all 24 items,
  including 21-24, are carried in a JSON companion, ``adapter.build_trds`` (``trdsVersion`` and an
  ``items`` list of ``{"item", "name", "value"}``), checked against ``schemas/who/trds.schema.json``.
  ``adapter.build_all`` gives both files, the XML first, so a filing stores and signs each. The XML
  stays valid against the DTD unchanged.
- The Universal Trial Number (``registries.identifiers.UTN_PATTERN``) goes in ``utrn`` and in the
  secondary IDs; ``registries.consistency`` checks it is in every payload that has a place for it.
"""
