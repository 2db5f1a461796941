"""Generic PySpark entry point: executes a job plan rendered by the TypeScript side."""
