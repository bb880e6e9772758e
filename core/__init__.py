"""The bottom layer: plumbing every app may import and that imports no app (no models here)."""
