"""The web dashboard for coordinators and schools: counts, school pages, the letter."""
