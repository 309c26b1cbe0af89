"""The fixture challenges are data (with their own hidden tests), not tests of ours."""

collect_ignore_glob = ["fixtures/*"]
