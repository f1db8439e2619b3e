"""Reading the year's exports and validating every row: accepted frames, and rejects with reasons."""
