"""The residents' portal: mobile-first server-rendered pages that compose each app's selectors."""
