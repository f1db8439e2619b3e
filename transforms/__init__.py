"""Pure statistics: DataFrames in, DataFrames out. No files, no clock, no Prefect."""
