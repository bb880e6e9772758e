"""The django-helpdesk host of benchmarks/peer_helpdesk.py. Nothing here imports the platform: these modules
run in the throwaway virtualenv that holds django-helpdesk (never installed into the project's own)."""
