//! Naming: the convention template, parsed once and rendered per file; sanitising of free text.
