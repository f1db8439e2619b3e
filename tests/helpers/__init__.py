"""What several test folders share: the S3 server, the command as an operator runs it, exports, releases."""
