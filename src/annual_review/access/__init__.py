"""Who may read what, before and after release: the preview server, councils' early links, S3 for browsers."""
