"""`python -m hiresight` runs the CLI."""

from hiresight.cli import main

main()
