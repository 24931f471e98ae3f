"""`python -m bot.cluster`: start the cluster (bot/cluster/run.py); Ctrl-C stops it."""

import sys

from bot.cluster.run import main

sys.exit(main())
