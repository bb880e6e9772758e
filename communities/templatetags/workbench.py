"""`{% workbench as queues %}`: the admin home's queues for the user (communities.admin_scope.WORKBENCH)."""

from django import template

from communities.admin_scope import workbench as queues_of

register = template.Library()


@register.simple_tag(takes_context=True)
def workbench(context):
    request = context.get("request")
    return queues_of(request) if request is not None else []
