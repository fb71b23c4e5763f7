"""The record editor: forms generated from the record schema and a small UI-hints file, one page per
module, with the target registries' findings beside their fields."""
