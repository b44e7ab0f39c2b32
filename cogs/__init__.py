"""One module per feature; every module here is loaded as an extension at start."""
