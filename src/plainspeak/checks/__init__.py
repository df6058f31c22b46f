"""The checks: small functions from a document and its analysis to findings."""
