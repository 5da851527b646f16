"""Looking at networks and runs: the HTML report, static figures, layouts."""
