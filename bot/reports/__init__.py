"""What the people who handle cases report once a year: figures and the gift register."""
