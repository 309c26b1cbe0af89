"""Broken on purpose: writes item ids under the wrong header, without ranks."""

import argparse
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("--input", type=Path, required=True)
parser.add_argument("--output", type=Path, required=True)
parser.add_argument("--k", type=int, default=10)
args = parser.parse_args()
args.output.write_text("user,item\n1;2;3\n")
