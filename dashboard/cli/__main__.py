"""`python -m dashboard.cli …`: the same command line as the `gridcmd` console script."""

from dashboard.cli import main

if __name__ == "__main__":
    main()
