"""The three-party strength index (三方强基指数): indicators, the set-based computation, reads, policy, pages and
API."""
