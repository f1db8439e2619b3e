"""The store's readers: the reference website, the preview server, councils' early links, S3 for browsers."""
