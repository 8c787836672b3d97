"""The only UI package: Dash app, pages, HTTP routes and the `gridcmd` command line."""
