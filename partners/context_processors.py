from . import selectors


def organizations(request):
    """The organisations of the signed-in user, for the switcher in the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_organizations": selectors.organization_list(user=user)}
