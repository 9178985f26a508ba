import sys
from pathlib import Path

# tests import their shared notebook tooling (tests/nbtools.py) by name
sys.path.insert(0, str(Path(__file__).resolve().parent))
