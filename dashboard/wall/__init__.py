"""The command-hall wall display at /wall/: a second Dash app on the main Flask server."""
