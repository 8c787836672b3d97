"""Storage and spatial computation for gridcmd: settings, database, migrations, SQL, demo data."""
