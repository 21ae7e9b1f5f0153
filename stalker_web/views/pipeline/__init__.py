"""Pages of the pipeline: the Types page (steps, asset/shot/sequence/project types) and a
project's board columns."""
