import sys

from .notebooks import main

sys.exit(main(sys.argv[1:]))
