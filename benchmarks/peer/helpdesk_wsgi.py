"""The WSGI application of the helpdesk host (gunicorn serves `benchmarks.peer.helpdesk_wsgi:application`)."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
