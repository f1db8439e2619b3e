"""Publishing: stage a release candidate privately, then release it to public/ all or nothing."""
