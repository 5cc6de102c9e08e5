//! Manifest: the delivery record (YAML), the `.sha256` list and the ASC MHL packing list.
